"""A multilingual label lexicon (FR, DE, ES, EN) and the pairing of a label with its value by
position: the rest of the label's own box, the next box to its right on the same line, or the
box below it (a column header over its value, a form label over a field).

Patterns apply to folded text (lower case, no accents: `parsing._fold`). Words are matched
on letter boundaries, except where a German compound is spelt out (`\\w*rechnung`), so that
"Handelsrechnung" and "Schlussrechnung" are titles like "Rechnung".
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TypeVar

from .layout import Box, Line
from .parsing import _fold, is_currency_mark


def kw(*words: str) -> re.Pattern[str]:
    """Any of `words` (regex fragments on folded text) on letter boundaries."""
    return re.compile(r"(?<![a-z])(?:" + "|".join(words) + r")(?![a-z])")


_S = r"[\s.\-_/]*"  # what may separate the words of a label: "Rechnungs-Nr.", "N° TVA"
_NO = r"(?:n\s?[°ºo]\.?|no\.?|nr\.?|num(?:ero|ber|\.)?|#|nummer|id)"

# --- dates -----------------------------------------------------------------------------------
ISSUE_DATE = kw(
    rf"invoice{_S}date",
    rf"date{_S}of{_S}(?:the{_S})?invoice",
    rf"(?:credit{_S}note|receipt|bill|document){_S}date",
    rf"date{_S}of{_S}issue",
    rf"issue{_S}date",
    rf"issued(?:{_S}(?:at|on))?",
    rf"tax{_S}point",  # UK: the VAT date printed as the invoice's date ("Date/Tax point")
    rf"emise?{_S}le",
    rf"billing{_S}date",
    rf"date{_S}d.?{_S}emission",
    rf"date{_S}de{_S}(?:la{_S})?(?:facture|facturation|l.avoir|document)",
    rf"date{_S}(?:facture|facturation|avoir)",
    rf"facture{_S}du",
    rf"\w*rechnungs{_S}datum",
    rf"rechnungs?{_S}datum",
    rf"beleg{_S}datum",
    rf"gutschrifts?{_S}datum",
    rf"ausstellungs{_S}datum",
    rf"ausgestellt{_S}(?:am|den)",
    rf"datum{_S}der{_S}ausstellung",
    rf"datum{_S}der{_S}rechnung",
    rf"fecha{_S}(?:de{_S})?(?:la{_S})?(?:factura|emision|expedicion)",
)
# Plain "Date:"; weaker than the above.
DATE_WORD = kw(r"date", r"datum", r"fecha", r"dated", r"dt")
DUE_DATE = kw(
    rf"due{_S}(?:date|on|by)",
    rf"date{_S}due",
    rf"payment{_S}due",
    rf"pay(?:able)?{_S}(?:by|before|until)",
    rf"remit{_S}(?:by|until|before)",
    rf"date{_S}d.?{_S}echeance",
    r"echeance",
    rf"date{_S}limite",
    rf"a{_S}regler{_S}(?:avant|le)",
    rf"payable{_S}(?:le|avant)",
    r"f(?:a|ae)llig\w*",
    rf"zahlbar{_S}(?:bis|am)",
    rf"zahlungs{_S}ziel",
    rf"fecha{_S}(?:de{_S})?(?:vencimiento|vto)",
    r"vencimiento",
    rf"pagar{_S}antes",
)
DELIVERY_DATE = kw(
    rf"delivery{_S}date",
    rf"date{_S}of{_S}(?:delivery|supply|service)",
    rf"ship(?:ping|ment)?{_S}date",
    rf"date{_S}de{_S}(?:livraison|prestation|l?expedition)",
    rf"liefer\w*{_S}datum",
    r"leistungs\w*datum",
    rf"liefer{_S}und{_S}leistungs\w*",
    rf"lieferschein{_S}datum",
    rf"fecha{_S}de{_S}(?:entrega|prestacion|servicio)",
    rf"fecha{_S}(?:de{_S})?operacion",
    rf"supply{_S}date",
    rf"shipped(?:{_S}on)?",
    rf"livre{_S}le",
    r"liefertag",
)
SERVICE_PERIOD = kw(
    r"period\w*",
    r"leistungs\w*zeitraum",
    r"abrechnungs\w*zeitraum",
    r"zeitraum",
    r"periodo",
    rf"(?:from|du|vom|desde){_S}\d",
    rf"prestations?{_S}du",
)
ORDER_DATE = kw(
    rf"order{_S}date",
    rf"date{_S}(?:de{_S})?(?:la{_S})?commande",
    r"bestell\w*datum",
    r"auftrag\w*datum",
    rf"bestell\w*{_S}vom",
    rf"bestellung{_S}vom",
    rf"fecha{_S}(?:del?{_S})?pedido",
)
# A date that belongs to another document: the invoice a credit note corrects, a contract.
OTHER_DOCUMENT_DATE = kw(
    rf"(?:facture|invoice|rechnung|factura){_S}(?:associee|d.?origine|originale?|initiale|corrigee"
    r"|referenced|original|related|ursprungs\w*|rectificada)",
    rf"(?:original|referenced|related|corrected|preceding){_S}invoice",
    r"ursprungs\w*",
    rf"urspr\w*{_S}rechnung",
    rf"date{_S}de{_S}(?:la{_S})?facture{_S}(?:associee|d.?origine|originale|initiale)",
    r"contra[tc]t\w*",
    r"vertrag\w*",
)
# A company's registration or incorporation, dated in the legal mentions ("fecha de
# inscripción 20/08/2011", "Incorporated on 2 May 2009", "eingetragen am 01.03.2015").
REGISTRATION_DATE = kw(
    r"inscri\w*",
    r"immatricul\w*",
    r"incorporat\w*",
    r"eingetragen",
    r"gegr(?:u|ue)ndet",
    r"founded",
    r"constitu(?:cion|ida|ee)",
)
# A credit note (or a corrected invoice) cites the invoice it corrects: that number is the
# other document's ("Bezug: Rechnung Nr. F2023-09687", "Avoir sur facture n°", "Factura
# rectificada nº", "Original invoice no."). "rectificativa" is the credit note's own.
ORIGINAL_INVOICE = kw(
    r"bezug\w*",
    r"urspr\w*",
    rf"zu{_S}(?:der{_S})?rechnung",
    r"korrektur\w*",
    r"storno\w*",
    rf"sur{_S}(?:la{_S})?facture",
    rf"facture{_S}(?:d.?{_S}origine|initiale|annulee|corrigee)",
    r"rectificada",
    rf"rectifica{_S}(?:a{_S})?(?:la{_S})?factura",
    rf"factura{_S}original",
    r"original\w*",
    rf"relating{_S}to",
    rf"(?:against|corrects?){_S}invoice",
)
# A section listing the invoices this one follows or corrects (EN 16931's "preceding invoice
# reference", as e-invoice viewers print it): the numbers and dates under it are theirs.
PRECEDING_INVOICES = re.compile(
    rf"\s*(?:previous|preceding|prior|referenced){_S}invoices?(?:{_S}references?)?"
    rf"|\s*(?:vorherige|vorausgegangene|vorangegangene|fr(?:u|ue)here){_S}rechnung(?:en)?"
    rf"|\s*factures?{_S}(?:precedentes?|anterieures?)"
    rf"|\s*facturas?{_S}(?:anteriores?|precedentes?)"
)
PRECEDING_REACH = 6  # lines


def cited_invoice_boxes(lines: list[Line]) -> set[tuple[int, int]]:
    """The boxes (line index, box index) of a preceding-invoices section: up to
    `PRECEDING_REACH` lines under its heading (a box alone naming them, "Previous
    invoices:"), on its page; only the heading's column and those right of it when the
    heading stands off the page's left margin, beside another column ("Abrechnungsdatum der
    | Vorausgegangene Rechnungen:"), whose rows are the invoice's own."""
    cited: set[tuple[int, int]] = set()
    margins: dict[int, float] = {}
    for line in lines:
        for box in line.boxes:
            margins[line.page] = min(margins.get(line.page, box.x0), box.x0)
    for i, line in enumerate(lines):
        for heading in line.boxes:
            if not PRECEDING_INVOICES.fullmatch(_fold(heading.text).rstrip(" :")):
                continue
            height = max(heading.y1 - heading.y0, 1.0)
            left = heading.x0 - height if heading.x0 - margins[line.page] > 2 * height else None
            for j in range(i + 1, min(i + 1 + PRECEDING_REACH, len(lines))):
                if lines[j].page == line.page:
                    cited.update(
                        (j, k)
                        for k, box in enumerate(lines[j].boxes)
                        if left is None or box.x0 >= left
                    )
    return cited


# Terms, conditions and price lists cited with their date ("Standard terms dated 01/01/2024",
# "AGB vom 01.01.2024", "Conditions générales du 1er janvier 2024").
TERMS = kw(
    r"terms",
    r"conditions?",
    r"cgv",
    r"cgu",
    r"agb",
    r"\w*bedingungen",
    r"condiciones",
    r"tarif\w*",
    rf"price{_S}list",
    r"preisliste",
    rf"lista{_S}de{_S}precios",
)
# Laws and regulations cited with their date ("loi n° 92-1442 du 31 décembre 1992").
LEGAL_REFERENCE = kw(
    r"loi",
    r"law",
    r"gesetz\w*",
    r"ley",
    r"decret\w*",
    r"decreto",
    r"directive",
    r"richtlinie",
    r"article",
    r"art\.",
    r"artikel",
    r"articulo",
    r"code",
    r"verordnung",
    r"reglement",
)

# --- numbers ---------------------------------------------------------------------------------
# A title word: what kind of document this is.
TITLE_CREDIT_NOTE = kw(
    rf"credit{_S}note",
    rf"credit{_S}memo",
    r"avoir",
    rf"facture{_S}d.?avoir",
    r"gutschrift",
    rf"\w*rechnungs?{_S}korrektur",
    rf"korrektur{_S}rechnung",
    r"stornorechnung",
    r"storno",
    rf"nota{_S}de{_S}(?:credito|abono)",
    rf"factura{_S}(?:rectificativa|de{_S}abono)",
    r"abono",
)
TITLE_INVOICE = kw(
    r"invoice",
    rf"tax{_S}invoice",
    r"facture",
    r"\w*rechnung(?:en)?",
    r"factura",
    r"factuur",
)
TITLE_RECEIPT = kw(
    r"receipt",
    rf"cash{_S}(?:bill|sale)",
    r"kassenbon",
    r"kassenbeleg",
    r"bon",
    r"quittung",
    rf"ticket(?:{_S}de{_S}caisse)?",
    r"recu",
    r"ticket",
    rf"factura{_S}simplificada",
)
# --- card-payment slips ------------------------------------------------------------------------
# The words a payment terminal prints on its slip, in the four languages: card schemes, the
# kind of transaction, which copy it is, the result. A line made of these words alone
# ("CARTE BANCAIRE", "CONTACTLESS", "MAESTRO", "VENTA", "Kartenzahlung kontaktlos") is a
# label of the slip, never the shop's name.
CARD_SLIP_WORDS = frozenset(
    """
    visa electron vpay v pay mastercard master card maestro amex american express diners club
    jcb discover unionpay girocard ec cash cb carte bancaire bleue cartes credit debit
    contactless contact sans sin contacto kontaktlos nfc chip pin emv
    sale purchase refund void venta compra devolucion anulacion vente achat remboursement
    annulation zahlung kartenzahlung bezahlung kauf gutschrift storno
    ticket client commercant titulaire customer merchant cardholder copy copia cliente
    comercio titular kundenbeleg handlerbeleg kundenkopie handlerkopie
    approved accepted aprobada aprobado operacion transaccion accepte acceptee transaction
    erfolgt genehmigt autorisation autorisee authorisation authorization auth code
    tarjeta karte card terminal aid tid
    a conserver retain keep for your records para el de la du le les der die das
    """.split()
)
# The data lines of a card slip: a masked card number, an application id, the terminal, the
# merchant number, the authorisation: digits that are no address or telephone number.
CARD_SLIP_DATA = re.compile(
    r"[*#xX]{4,}\s?\d{2,4}"
    r"|(?<![a-z])a0{4,}\d*"
    r"|(?<![a-z])(?:aid|tid|terminal(?:[\s-]?id)?|comercio|merchant(?:\s?id)?"
    r"|commercant|haendler|handler|ta[\s.-]?nr|trace|beleg[\s.-]?nr|auth\w*|autori[sz]\w*"
    r"|n\s?[°o]?\s?autorizacion|genehmigung\w*)(?![a-z])"
)


def card_slip_label(folded: str) -> bool:
    """Whether folded text `folded` is only card-slip vocabulary (and digits, marks)."""
    words = re.findall(r"[a-z]+", folded)
    return bool(words) and all(w in CARD_SLIP_WORDS for w in words)


INVOICE_NUMBER = kw(
    rf"(?:invoice|inv|bill|credit{_S}note|receipt|document|doc){_S}{_NO}",
    rf"invoice{_S}(?:reference|ref)",
    rf"(?:facture|avoir|factura|document){_S}{_NO}",
    rf"{_NO}{_S}(?:de{_S})?(?:la{_S}|d.?)?(?:facture|factura|avoir|document|abono|rectificativa)",
    rf"(?:rectificativa|abono){_S}{_NO}",
    rf"(?:reference|ref\.?){_S}(?:de{_S})?(?:la{_S})?(?:facture|avoir|factura)",
    rf"numero{_S}(?:de{_S})?(?:la{_S}|d.?)?(?:facture|factura|avoir|abono)",
    rf"\w*rechnungs?{_S}{_NO}",
    r"\w*rechnungs?nummer",
    rf"gutschrifts?{_S}{_NO}",
    r"gutschriftsnummer",
    rf"beleg{_S}{_NO}",
    r"belegnummer",
    rf"dokument{_S}{_NO}",
    rf"re{_S}nr\.?",
    # A title with its type code or a qualifier in brackets, as e-invoice viewers print it:
    # "Handelsrechnung (380) Nr.", "Gutschrift (Selbst ausgestellte Rechnung) Nr.".
    rf"(?:\w*rechnung|gutschrift|invoice|credit{_S}note|facture|avoir|factura)"
    rf"\s?\([^()]{{1,40}}\){_S}{_NO}",
)
# A bare "Number:", "N°", "Nr." (weaker: many things have a number).
# "No" is also an English word, and "ref" may be anyone's reference: both count only as a
# label of their own (alone in a box, or before a colon) or before a numbered token
# ("No A/2025/7621", "Ref INV-2026-0012").
_ALONE_OR_BEFORE_NUMBER = r"(?=\s?[:#]|\s*$|\s+[a-z]{0,4}[-/]?\d)"
# The sign set against a number that opens with letters: "N°F2024-04953", "NºFA-7".
_SIGN_AGAINST_CODE = r"|(?<![a-z])n°(?=[a-z]{1,4}[-/]?\d)"
NUMBER_WORD = re.compile(
    kw(
        r"numero",
        r"number",
        r"nummer",
        r"n\s?[°º]",
        r"nr\.?",
        r"no\.",
        r"no" + _ALONE_OR_BEFORE_NUMBER,
        r"ref" + _ALONE_OR_BEFORE_NUMBER,
        r"#",
    ).pattern
    + _SIGN_AGAINST_CODE
)
# Numbers that are not the invoice's: orders, customers, delivery notes, tax ids, phones.
OTHER_NUMBER = kw(
    r"order",
    r"commande",
    r"bestell\w*",
    r"auftrag\w*",
    r"pedido",
    r"customer",
    r"client",
    r"kunden\w*",
    r"cliente",
    r"lieferschein\w*",
    r"delivery",
    r"livraison",
    r"tva",
    r"vat",
    r"ust\w*",
    r"steuer\w*",
    r"siret",
    r"siren",
    r"rcs",
    r"iban",
    r"bic",
    r"tel\w*",
    r"phone",
    r"fax",
    r"page",
    r"seite",
    r"pagina",
    r"contrat",
    r"contract",
    r"vertrag\w*",
    r"mandat\w*",
    r"gln",
    r"lief",
    r"kto",
    r"konto",
    r"account",
    r"compte",
    r"ean",
    r"gtin",
    r"art",
    r"artikel\w*",
    r"article",
    r"projekt\w*",
    r"project",
    r"versicherungs?schein\w*",
    r"police",
    r"policy",
    r"associee",
    r"origine",
    r"ursprungs\w*",
    r"hra",
    r"hrb",
    r"nif",
    r"cif",
    r"btw",
    r"kvk",
    r"uid",
    r"tax",
    r"your",
    r"votre",
    r"ihre",
    r"registration",
    r"registered",
    r"registro",
    r"company",
    r"reg",
    r"coc",
    r"handelsregister\w*",
)

# --- amounts ---------------------------------------------------------------------------------
# What may follow a gross total's words: "Total avoir TTC", "Total factura IVA incluido".
_TAX_IN = (
    rf"(?:{_S}(?:ttc|(?:incl|inc|including)\w*\.?{_S}(?:vat|tax|tva|iva|mwst|ust)"
    rf"|iva{_S}incluid[oa]|con{_S}iva))?"
)
GROSS = kw(
    rf"grand{_S}total",
    rf"total{_S}(?:amount|ttc|toutes{_S}taxes(?:{_S}comprises)?|gross|invoice|general)",
    rf"total{_S}(?:\(?\s?)?(?:incl|inc|including|includes|con|avec)\w*\.?{_S}(?:vat|tax|tva|iva|gst|mwst|ust)",
    # the tax named first, then said to be in it: "Total VAT included", "Total TVA comprise",
    # "Total IVA incluido", "Total (VAT inclusive)"; and "Total with VAT"
    rf"total{_S}(?:\(?\s?)?(?:vat|tax|tva|iva|gst|mwst|ust){_S}(?:incl\w*|compris\w*|incluid[oa]s?)\)?",
    rf"total{_S}with{_S}(?:vat|tax|gst)",
    rf"(?:invoice|credit{_S}note){_S}(?:total|amount){_TAX_IN}",
    # a credit note's own total: "Total credit", "Total avoir", "Total abono"
    rf"total{_S}(?:credit(?:{_S}note)?|avoir|de{_S}l.?avoir|abono|del{_S}abono|rectificativ[ao]){_TAX_IN}",
    rf"credit{_S}total",
    rf"montant{_S}(?:total{_S})?de{_S}l.?avoir{_TAX_IN}",
    rf"importe{_S}(?:total{_S})?(?:del{_S})?abono{_TAX_IN}",
    rf"gross{_S}(?:total|amount)",
    rf"montant{_S}(?:total{_S})?ttc",
    rf"total{_S}(?:de{_S}(?:la{_S})?)?facture{_TAX_IN}",
    r"brutto\w*",
    rf"gesamt{_S}brutto",
    rf"summe{_S}brutto",
    r"gesamtbetrag",
    rf"gesamt{_S}summe",
    r"\w*endbetrag",  # "Endbetrag", "Rechnungsendbetrag"
    r"\w*endsumme",  # "Endsumme", "Rechnungsendsumme"
    r"rechnungsbetrag",
    r"gutschriftsbetrag",
    rf"(?:rechnungs|gesamt|jahres){_S}beitrag",  # an insurance premium invoiced
    rf"\w*beitrag{_S}(?:inkl|incl)\w*",
    rf"rechnungs{_S}summe",
    rf"importe{_S}total",
    rf"total{_S}(?:de{_S}(?:la{_S})?)?factura{_TAX_IN}",
    rf"total{_S}con{_S}iva",
)
NET = kw(
    rf"(?:sub{_S}?total|subtotal)",
    rf"sous{_S}total",
    rf"total{_S}(?:ht|hors{_S}taxes?|net|excl\w*|before{_S}tax|sin{_S}iva|w/o)",
    rf"net{_S}(?:total|amount|amout|value)",
    # "Total facture HT", "Total avoir HT", "Invoice total excl. VAT"
    rf"total{_S}(?:de{_S}(?:la{_S})?)?(?:facture|factura|avoir){_S}(?:ht|hors{_S}taxes?|sin{_S}iva)",
    rf"(?:invoice|credit{_S}note){_S}total{_S}(?:excl\w*|net|before{_S}tax)",
    rf"montant{_S}(?:total{_S})?(?:ht|hors{_S}taxes?)",
    r"netto\w*",
    rf"summe{_S}netto",
    rf"\w*summe{_S}(?:ohne|exkl\w*|excl\w*)",
    r"zwischensumme",
    r"warenwert",
    r"positionssumme",
    rf"summe{_S}(?:der{_S})?positionen",
    rf"base{_S}imponible",
    r"ohne\s?(?:ust|mwst)",
    # EN 16931's own term names, printed by e-invoice viewers: "Invoice total amount without
    # VAT", "Gesamtbetrag ohne Umsatzsteuer".
    rf"(?:ohne|exkl\w*|excl\w*|without|excluding|sans|sin)\.?{_S}(?:umsatzsteuer|mehrwertsteuer|ust|mwst|vat|tax|tva|iva)",
    rf"hors{_S}taxes?",
    r"ht",
)
VAT = kw(
    rf"total{_S}(?:tva|vat|tax|taxes|iva|gst|mwst|ust)",
    rf"(?:tva|vat|tax|iva|gst){_S}(?:total|amount)",
    rf"montant{_S}(?:de{_S}la{_S})?tva",
    r"tva",
    r"vat",
    r"mwst",
    r"ust",
    r"umsatzsteuer\w*",
    r"mehrwertsteuer\w*",
    r"steuerbetrag",
    r"\w+steuer",
    r"iva",
    rf"cuota{_S}(?:de{_S})?iva",
    r"tax",
    r"gst",
)
PREPAID = kw(
    r"acomptes?(?:\s\w+)?",
    rf"deja{_S}(?:paye|payee|regle|verse)",
    rf"montant{_S}(?:deja{_S})?(?:paye|regle|verse)",
    r"avance",
    r"\w*anzahlung\w*",
    rf"bereits{_S}(?:bezahlt|gezahlt|geleistet|erhalten)",
    rf"geleistete{_S}zahlung\w*",
    r"vorauszahlung\w*",
    r"prepaid",
    r"prepayments?",
    rf"(?:amount|total){_S}paid",
    rf"paid{_S}(?:amount|to{_S}date)",
    rf"already{_S}paid",
    rf"payments?{_S}(?:received|made)",
    rf"less{_S}(?:payment|deposit)",
    rf"deposits?(?:{_S}(?:received|paid))?",
    rf"anticipos?(?:{_S}(?:recibidos?|pagados?|abonados?))?",
    rf"(?:importe{_S})?(?:ya{_S})?pagado(?:{_S}a{_S}cuenta)?",
    rf"(?:entregado|entregas?){_S}a{_S}cuenta",
    rf"pagos?{_S}a{_S}cuenta",
    r"abschlagszahlung\w*",
    # "Gezahlter Betrag" (EN 16931's paid amount in German), "bereits bezahlte Beträge"
    rf"(?:bereits{_S})?(?:ge|be)zahlte[rn]?{_S}betr(?:a|ae)ge?",
    # A part invoice of the same job deducted from the final one: "abzgl. 1. Abschlagsrechnung",
    # "abzüglich Teilrechnung Nr. 2" (what was invoiced before, paid or owed on its own).
    rf"(?:abzgl|abzuglich|abzueglich)\.?{_S}(?:der{_S})?(?:\d+\.?{_S})?(?:abschlags|anzahlungs|teil)rechnung\w*",
)
# A stamp saying the invoice is settled, alone on its line or in its own box: "PAYÉE",
# "Facture acquittée", "Bezahlt am 22.03.2026", "Paid in full", "Factura pagada", or a card
# payment's receipt line "Paid by Visa ****1234 on ...". Matched whole on folded text (not
# searched), so that payment terms ("to be paid within 30 days") never read as one.
_SETTLED = (
    rf"(?:(?:facture|invoice|rechnung|factura){_S})?"
    rf"(?:payee?|acquittee?|reglee?|soldee?|paid(?:{_S}in{_S}full)?|fully{_S}paid|settled"
    rf"|(?:vollstandig{_S})?(?:bezahlt|beglichen)|pagad[ao]|cobrad[ao])"
)
_ON_DATE = rf"(?:{_S}(?:le|am|on|el)?{_S}\d[\d\s./-]*(?:[a-z]+{_S}\d{{2,4}})?)"
_PAYMENT_MEANS = (
    rf"(?:carte|cb|card|visa|mastercard|amex|american{_S}express|paypal|apple{_S}pay"
    rf"|google{_S}pay|\w*karte|girocard|tarjeta|especes|cash|virement|bank{_S}transfer"
    r"|uberweisung|transferencia|\*{2,}\s?\d{4})"
)
# The means of payment only with the payment's date or the card's last digits: "Paid by card"
# alone states how the invoice is to be or was paid, not that nothing is left to pay.
_BY_MEANS = rf"(?:[\s,]+(?:par|per|by|with|via|using|mit|con|en)\s.*{_PAYMENT_MEANS}.*)"
# A deadline makes it a payment term: "Paid by bank transfer within 30 days".
_DEADLINE = (
    r"(?!.*(?<![a-z])(?:within|sous|avant|before|dans|innerhalb|binnen|bis|until|days|jours"
    r"|tage|dias)(?![a-z]))"
)
SETTLED_STAMP = re.compile(
    rf"{_DEADLINE}{_SETTLED}{_ON_DATE}?[\s.!]*"
    rf"|{_DEADLINE}(?=.*\d){_SETTLED}{_ON_DATE}?{_BY_MEANS}{_ON_DATE}?[\s.!]*"
    rf"|(?:betrag{_S})?dankend{_S}erhalten[\s.!]*"
)
# A balance carried from earlier invoices, which the amount due may add to this invoice's total.
CARRIED = kw(
    rf"offene{_S}(?:zahlungen|posten|betrage|forderungen)",
    rf"(?:saldo|uebertrag){_S}vortrag",
    r"saldovortrag",
    rf"ausstehende{_S}forderung\w*",
    rf"previous{_S}balance",
    rf"balance{_S}(?:brought|carried){_S}forward",
    r"arrears",
    rf"solde{_S}(?:anterieur|precedent|reporte)",
    rf"saldo{_S}anterior",
)
# A column header of a table of payments already received ("Payment | Date | Amount").
PAYMENT_HEADER = kw(r"payments?", r"paiements?", r"reglements?", r"zahlung(?:en)?", r"pagos?")
DUE = kw(
    rf"net{_S}a{_S}payer",
    rf"(?:reste|solde|montant|total|somme){_S}a{_S}(?:payer|regler)",
    rf"solde{_S}du",
    rf"montant{_S}du",
    rf"a{_S}payer",
    # "Amount due for payment": EN 16931's own name of the amount due.
    rf"(?:amount|balance|total){_S}(?:due(?:{_S}for{_S}payment)?|payable|to{_S}pay)",
    rf"to{_S}pay",
    rf"due{_S}payable",
    rf"please{_S}pay",
    r"zahlbetrag",
    rf"zu{_S}zahlen(?:der{_S}(?:betrag|beitrag|summe))?",
    r"residual",
    rf"remaining{_S}(?:balance|amount)",
    rf"(?:reste|restant){_S}du",
    rf"(?:offener|ausstehender|rest){_S}betrag",
    r"restbetrag",
    r"restforderung",  # a final invoice's claim left after its part invoices
    rf"f(?:a|ae)llige[rn]?{_S}zahlungsbetrag",
    rf"f(?:a|ae)llige[rn]?{_S}(?:gesamt)?(?:betrag|summe)",
    rf"noch{_S}zu{_S}zahlen",
    rf"(?:importe|total){_S}a{_S}pagar",
    rf"a{_S}pagar",
    rf"saldo{_S}(?:pendiente|a{_S}pagar)",
    rf"(?:importe{_S})?pendiente(?:{_S}de{_S}pago)?",
    rf"liquido{_S}a{_S}pagar",
    rf"(?:balance|amount){_S}outstanding",
    rf"outstanding{_S}(?:balance|amount)",
    rf"solde(?:{_S}a)?",
)
# The rounding of the amount to pay (Swiss 5-centime rounding, EN 16931's rounding amount):
# added to the total, it gives the amount due; it is neither a total nor a charge.
ROUNDING = kw(
    r"rundung\w*",
    r"\w*rundungsbetrag",
    rf"rounding(?:{_S}(?:amount|adjustment|difference))?",
    rf"round{_S}off",
    r"arrondi\w*",
    rf"montant{_S}(?:de{_S}l.?|d.?)?arrondi",
    r"redondeo",
)
# Receipts: cash handed over and change given back are not the total.
TENDERED = kw(
    rf"cash{_S}(?:tendered|received|paid)",
    r"tendered",
    r"tender",
    r"gegeben",
    r"bar",
    r"cash",
    r"especes",
    r"efectivo",
    r"entregado",
    r"recu",
    r"pay",
    r"payment",
    r"amount\s?received",
)
CHANGE = kw(
    r"change",
    r"change\s?due",
    r"rendu",
    rf"monnaie{_S}rendue",
    r"ruckgeld",
    r"wechselgeld",
    r"zuruck",
    r"cambio",
    r"vuelto",
    r"devolucion",
)

# --- parties ---------------------------------------------------------------------------------
SELLER = kw(
    r"ver\s?k(?:a|ae)ufer",
    r"lieferant",
    r"leistungserbringer",
    r"rechnungs?\s?(?:e?r)?steller\w*",
    r"aussteller\w*",
    r"anbieter",
    r"dienstleister",
    r"auftragnehmer",
    r"seller",
    r"supplier",
    r"vendor",
    rf"issued{_S}by",
    rf"(?:billed|sold){_S}by",
    rf"verkauft{_S}(?:von|durch)",
    rf"vendu{_S}par",
    rf"vendido{_S}por",
    rf"(?:bill|invoice){_S}from",
    r"vendeur",
    r"fournisseur",
    r"emetteur",
    r"prestataire",
    r"vendedor",
    r"proveedor",
    r"prestador",
    r"emisor",
)
BUYER = kw(
    r"k(?:a|ae)ufer\w*",
    r"kunde",
    r"kundin",
    r"rechnungsempf(?:a|ae)nger\w*",
    r"leistungsempf(?:a|ae)nger\w*",
    r"warenempf(?:a|ae)nger\w*",
    r"auftraggeber",
    r"rechnungsanschrift",
    r"lieferanschrift",
    r"rechnungsadresse",
    r"lieferadresse",
    r"buyer",
    r"customer",
    rf"bill(?:ed)?{_S}to",
    rf"invoice{_S}to",
    rf"sold{_S}to",
    rf"ship(?:ped)?{_S}to",
    rf"deliver(?:ed)?{_S}to",
    rf"(?:billing|shipping|delivery){_S}address",
    r"client",
    r"acheteur",
    r"destinataire",
    rf"factur(?:e|er|ee){_S}a",
    rf"adresse{_S}de{_S}(?:facturation|livraison)",
    rf"livre{_S}a",
    r"cliente",
    r"comprador",
    r"destinatario",
    rf"facturar{_S}a",
    rf"direccion{_S}de{_S}(?:facturacion|entrega)",
)
# A letter's "From:" / "To:" captions, as a whole box (the words alone are far too common to
# be searched for inside a box): the sender's block is the seller's, the addressee's the buyer's.
# Not "Absender": in a German letter it labels the return-address line over the window.
# "Provider" likewise: inside a box, "provider" is any service's.
FROM_CAPTION = re.compile(
    r"\s*(?:from|von|de|expediteur|remitente|emitid[ao]\s+por|provider)\s*:?\s*"
)
TO_CAPTION = re.compile(r"\s*(?:to|an|para|pour|fur|for|empf(?:a|ae)nger|a\s*:)\s*:?\s*")
# "Brightside Cleaning / a trading name of Holloway Services Ltd": the legal name after it.
TRADING_NAME_OF = re.compile(
    r"^\s*(?:(?:a|the)\s+)?(?:trading\s+(?:name|style|division)|division|brand)\s+of\s+"
    r"|^\s*(?:une\s+)?(?:marque|division)\s+(?:de|du|d')\s*"
    r"|^\s*(?:eine\s+)?(?:marke|handelsmarke|sparte)\s+(?:der|des|von)\s+"
    r"|^\s*(?:una\s+)?(?:marca|divisi[oó]n)\s+(?:de|del)\s+",
    re.IGNORECASE,
)
# The payee's label on a payment slip or under the bank details ("Payable to: Acme Ltd",
# "Zahlbar an …", "Règlement à l'ordre de …", "Beneficiario: …"), on raw text at the start of a
# box: the name after it is the account holder, as a rule the seller's legal name. A phrase
# ending in a preposition needs no colon; a noun does ("Beneficiary Services Ltd" is a name).
PAYEE_LABEL = re.compile(
    r"^\s*(?:(?:(?:make\s+(?:cheques?|checks?)\s+)?payable\s+to|pay\s+to|remit\s+to"
    r"|(?:r[èe]glement\s+)?[àa]\s+l[’']ordre\s+de|zahlbar\s+an|a\s+favor\s+de)(?![^\W\d_])"
    r"|(?:payee|beneficiary|account\s+holder|b[ée]n[ée]ficiaire|titulaire(?:\s+du\s+compte)?"
    r"|zahlungsempf(?:ä|ae|a)nger|kontoinhaber|beg(?:ü|ue|u)nstigter|beneficiario"
    r"|titular(?:\s+de\s+la\s+cuenta)?)\s*:)\s*:?\s*",
    re.IGNORECASE,
)
NAME_LABEL = kw(
    r"name",
    r"nom",
    r"nombre",
    r"firma",
    r"firmenname",  # XRechnung's own caption of the seller's name (BT-27)
    r"unternehmensname",
    r"firmierung",
    rf"denomination(?:{_S}sociale)?",
    r"unternehmen",
    r"company",
    r"societe",
    r"empresa",
    rf"raison{_S}sociale",
    rf"razon{_S}social",
    rf"denominacion{_S}social",
)

T = TypeVar("T")


@dataclass(frozen=True)
class Labelled:
    """A value found next to a label.

    `how` is "same" (after the label in its own box), "right" (the next box of the line),
    "below" (the box under the label) or "above" (a caption under its value); `label` is the
    label's line index, `line` the value's.
    """

    value: object
    text: str
    how: str
    label: int
    line: int
    box: Box
    label_box: Box
    match_text: str


# How much a value's position is worth, relative to the label.
POSITION_WEIGHT = {"same": 1.0, "right": 0.95, "below": 0.8, "above": 0.75}


# A cell holding only a currency: its code or its sign ("EUR", "CHF", "€", "(GBP)").
_CURRENCY_CELL = re.compile(
    r"\(?(?:EUR|USD|GBP|CHF|JPY|CAD|AUD|NZD|SEK|NOK|DKK|ISK|PLN|CZK|HUF|RON|BGN|INR|CNY|[€$£¥])\)?"
)
# A cell that says only whether the amount beside it is net or gross ("netto", "brutto",
# "HT", "TTC"), printed in a column between a row's caption and its amount: part of the
# caption, no label of its own (folded text).
TAX_BASIS_CELL = re.compile(
    r"\s*\(?(?:netto|brutto|net|gross|ht|ttc|h\.t\.|t\.t\.c\.|neto|bruto)\)?\s*:?\s*"
)


_SEPARATORS = re.compile(r"^[\s:#.\-=|)]+")


def _value_text(rest: str) -> str:
    """The text after a label without the separators before its value ("Total - 12,00",
    "Total: 12,00", "Rechnungs-Nr.-4711"), save a minus set against an amount or its
    currency sign after a space (a no-break one too) or a colon ("Total with tax: -£21,423.09")."""
    if is_currency_mark(rest):
        return ""  # "TOTAL EUR | 2 590,80": the currency the amounts are in, not a value
    separators = _SEPARATORS.match(rest)
    if separators is None:
        return rest
    value = rest[separators.end() :]
    gap = separators.group(0)
    if (
        gap.endswith("-")
        and (gap[:-1][-1:].isspace() or gap[:-1].endswith(":"))
        and value[:1]
        and value[0] in "0123456789€$£"
    ):
        return "-" + value
    return value


def find_labelled(
    lines: list[Line],
    folded_boxes: list[list[str]],
    label: re.Pattern[str],
    parse: Callable[[str], T | None],
    *,
    below: bool = True,
    right_gap: float = 0.45,
) -> Iterator[Labelled]:
    """Every value `parse` accepts next to a match of `label`.

    For each match, in order: the text after the label in its box; the boxes to its right on
    the line, one at a time, stopping at the next box that is itself a label (`parse`
    refuses it and it has letters) or further than `right_gap` x the page width; the box
    below the label (overlapping it horizontally, within three line heights); last, the box
    just above it when that row holds only values (captions printed under their values:
    "14. Mai 2023 | 2023-06-7171" over "Rechnungsdatum | Rechnungsnummer").
    """
    width = max((b.x1 for line in lines for b in line.boxes), default=1.0) or 1.0
    for i, line in enumerate(lines):
        for k, box in enumerate(line.boxes):
            matches, spaced = _label_matches(label, folded_boxes[i][k])
            for match in matches:
                rest = "" if spaced else _value_text(box.text[match.end() :])
                if rest:
                    value = parse(rest)
                    if value is not None:
                        yield Labelled(value, rest, "same", i, i, box, box, match.group(0))
                        continue
                    if re.search(r"[a-z]{3}", _fold(rest)):
                        continue  # another label or a sentence follows in the same box
                found = False
                across = _value_across(lines, i, k, folded_boxes[i], parse, right_gap * width)
                if across is not None:
                    value, text, how, j, other = across
                    yield Labelled(value, text, how, i, j, other, box, match.group(0))
                    continue
                if not below:
                    continue
                for j, other in boxes_below(lines, i, box):
                    value = _cell_value(
                        other, box, line, parse, parse(other.text.lstrip(" :#=")), lines[j]
                    )
                    if value is not None:
                        yield Labelled(value, other.text, "below", i, j, other, box, match.group(0))
                        found = True
                    if value is not None or re.search(r"\d", other.text):
                        break  # the value, or another value: either way the column ends
                    # A header printed over two lines ("Montant" / "TTC"): look one lower.
                if found:
                    continue
                over = _value_above(lines, i, box)
                if over is not None:
                    value = _cell_value(
                        over, box, line, parse, parse(over.text.lstrip(" :#=")), lines[i - 1]
                    )
                    if value is not None:
                        yield Labelled(
                            value, over.text, "above", i, i - 1, over, box, match.group(0)
                        )


def _value_across(
    lines: list[Line],
    i: int,
    k: int,
    folded: list[str],
    parse: Callable[[str], T | None],
    max_gap: float,
) -> tuple[T, str, str, int, Box] | None:
    """The value right of label box `k` of line `i` (`_value_right`): (value, its text,
    "right", its line, its box); or the one stacked under the label when the one to the
    right belongs to the next column (`_stacked_value`), "below"."""
    line = lines[i]
    right = _value_right(line, k, folded, parse, max_gap)
    if right is None:
        return None
    value, text, other = right
    stacked = _stacked_value(lines, i, line.boxes[k], other, parse)
    if stacked is not None:
        j, under, under_value = stacked
        return under_value, under.text, "below", j, under
    return value, text, "right", i, other


# A value right of its label further than this many line heights, with another one set under
# the label's first letter, belongs to the next column (see `_stacked_value`).
STACKED_GAP = 2.0


def _stacked_value(
    lines: list[Line], i: int, label: Box, right: Box, parse: Callable[[str], T | None]
) -> tuple[int, Box, T] | None:
    """The value printed under a label, left-aligned with it, when the value found right of
    the label stands a column away and the label ends without a colon: captions stacked over
    their values ("Número de factura" over "INV-2403") beside another block (the buyer's
    "41001 Sevilla" on the caption's line) read down, not across."""
    height = max(label.y1 - label.y0, 1.0)
    if label.text.rstrip().endswith(":") or right.x0 - label.x1 <= STACKED_GAP * height:
        return None
    for j, under in boxes_below(lines, i, label, depth=1):
        if abs(under.x0 - label.x0) > height / 2:
            return None
        value = parse(under.text.lstrip(" :#="))
        return (j, under, value) if value is not None else None
    return None


def _label_matches(label: re.Pattern[str], folded: str) -> tuple[list[re.Match[str]], bool]:
    """The matches of `label` in a box's folded text, and whether they were found with its
    spaces taken out: a letter-spaced label ("Br uttosumme") alone in its box (its value is
    to the right or below)."""
    matches = list(label.finditer(folded))
    if not matches and 0 < folded.count(" ") <= 3:
        compact = folded.replace(" ", "")
        whole = label.search(compact)
        if whole and len(compact) - (whole.end() - whole.start()) <= 3:
            return [whole], True
    return matches, False


def _value_right(
    line: Line,
    k: int,
    folded: list[str],
    parse: Callable[[str], T | None],
    max_gap: float,
) -> tuple[T, str, Box] | None:
    """The first value `parse` accepts in the boxes right of box `k`, one at a time, until a
    gap wider than `max_gap` or a box with words (another label)."""
    previous_x1 = line.boxes[k].x1
    for m in range(k + 1, len(line.boxes)):
        other = line.boxes[m]
        if other.x0 - previous_x1 > max_gap:
            break
        text = other.text.lstrip(" :#=")
        if (
            not text
            or _CURRENCY_CELL.fullmatch(text.strip())
            or TAX_BASIS_CELL.fullmatch(folded[m])
        ):
            # "Total TTC | EUR | 1 200,00", "Amount due | gross | 1,090.00": a currency or
            # net/gross column between label and value is neither.
            previous_x1 = other.x1
            continue
        value = parse(text)
        if value is not None:
            return value, text, other
        if re.search(r"[a-z]{3}", _fold(text)) or re.search(r"[a-z]{3}", text):
            break
        previous_x1 = other.x1
    return None


def _cell_value(
    value_box: Box,
    label: Box,
    captions: Line,
    parse: Callable[[str], T | None],
    first: T | None,
    values: Line | None = None,
) -> T | None:
    """The value of `value_box` that stands in `label`'s cell, when the box spans the cells of
    several captions of `label`'s row (cells printed edge to edge come as one box: "24
    November 2023 E981-45265" under "Date of issue | Invoice no"); else `first`.

    Each word is placed by its share of the box's text and given to a caption's column: from
    its left edge to the next caption's when the row's other values start where their
    captions start, from the previous caption's right edge to its own when they end where
    their captions end (without either sign, nothing is cut out). The longest run of the
    label's words that `parse` reads is the value."""
    spanned = [
        c
        for c in captions.boxes
        if min(c.x1, value_box.x1) - max(c.x0, value_box.x0) > 0 and not re.search(r"\d", c.text)
    ]
    text = value_box.text
    if len(spanned) < 2 or label not in spanned or not text:
        return first
    others = [b for b in (values.boxes if values else []) if b is not value_box]
    height = max(label.y1 - label.y0, 1.0)
    left = sum(any(abs(b.x0 - c.x0) <= height / 2 for c in captions.boxes) for b in others)
    right = sum(any(abs(b.x1 - c.x1) <= height / 2 for c in captions.boxes) for b in others)
    per_char = (value_box.x1 - value_box.x0) / len(text)

    if left == right:
        return first  # no sign of how the row's cells align: no column to cut out

    def column(x0: float, x1: float) -> Box:
        if left > right:
            return max(
                (c for c in spanned if c.x0 - height <= x0), key=lambda c: c.x0, default=spanned[0]
            )
        return min(
            (c for c in spanned if x1 <= c.x1 + height), key=lambda c: c.x1, default=spanned[-1]
        )

    words = [
        (m.start(), m.end())
        for m in re.finditer(r"\S+", text)
        if column(value_box.x0 + per_char * m.start(), value_box.x0 + per_char * m.end()) is label
    ]
    if not words:
        return first
    # The label's words, longest runs first (a value's own words stand together).
    for size in range(len(words), 0, -1):
        for a in range(len(words) - size + 1):
            value = parse(text[words[a][0] : words[a + size - 1][1]])
            if value is not None:
                return value
    return first


def _value_above(lines: list[Line], i: int, box: Box) -> Box | None:
    """The box right above `box` (overlapping it, or aligned on either edge) on the previous
    line of the page, when that line is a row of values only (each box holds a digit): a row
    with words is a row of labels and values, whose values belong to their own labels."""
    if i == 0 or lines[i - 1].page != lines[i].page:
        return None
    above = lines[i - 1]
    height = max(box.y1 - box.y0, 1.0)
    if box.y0 - above.y1 > 1.5 * height:
        return None
    # A cell whose text overflows onto its neighbour splits its row into two lines at the
    # same height: the row is both.
    row = list(above.boxes)
    j = i - 2
    while j >= 0 and lines[j].page == above.page and abs(lines[j].y0 - above.y0) < 0.3 * height:
        row.extend(lines[j].boxes)
        j -= 1
    if not all(re.search(r"\d", b.text) for b in row):
        return None
    best, best_score = None, 0.0
    for other in row:
        overlap = min(box.x1, other.x1) - max(box.x0, other.x0)
        aligned = abs(other.x0 - box.x0) <= height or abs(other.x1 - box.x1) <= height
        score = overlap + (height if aligned else 0.0)
        if (overlap > 0 or aligned) and score > best_score:
            best, best_score = other, score
    return best


def boxes_below(
    lines: list[Line], i: int, box: Box, *, depth: int = 3
) -> Iterator[tuple[int, Box]]:
    """Boxes under `box` on the next `depth` lines of the same page (horizontal overlap, or
    left edges aligned), closest first; stops at a gap taller than four line heights."""
    height = max(box.y1 - box.y0, 1.0)
    last_y1 = box.y1
    for j in range(i + 1, min(i + 1 + depth, len(lines))):
        nxt = lines[j]
        if nxt.page != lines[i].page or nxt.y0 - last_y1 > 4 * height:
            return
        best, best_overlap = None, 0.0
        for other in nxt.boxes:
            overlap = min(box.x1, other.x1) - max(box.x0, other.x0)
            aligned = abs(other.x0 - box.x0) <= height
            score = overlap + (height if aligned else 0.0)
            if (overlap > 0 or aligned) and score > best_overlap:
                best, best_overlap = other, score
        if best is not None:
            yield j, best
        last_y1 = nxt.y1


def fold_boxes(lines: list[Line]) -> list[list[str]]:
    """Folded text of every box, line by line (what the label patterns run on). The number
    sign "º" is kept a sign ("Nº2025/2549" -> "n°2025/2549"): unaccented, it would be the
    letter "o", and "no2025" no label."""
    return [[_fold(b.text.replace("º", "°")) for b in line.boxes] for line in lines]


CUSTOMER = kw(
    r"factuuradres",
    r"afleveradres",
    r"rechnungsadresse",
    r"lieferadresse",
    r"adresse\s?de\s?livraison",
    r"bill\s?to",
    r"billed\s?to",
    r"invoice\s?to",
    r"sold\s?to",
    r"ship\s?to",
    r"customer",
    r"client",
    r"kunde",
    r"kundin",
    r"rechnungsempfanger",
    r"facture\s?a",
    r"facturer\s?a",
    r"adresse\s?de\s?facturation",
    r"cliente",
    r"facturar\s?a",
    r"destinataire",
    r"destinatario",
    r"klant",
    r"buyer",
    r"acheteur",
    r"shipping\s?address",
    r"billing\s?address",
)


_OCR_L = re.compile(r"(?<=[a-z])[1|](?=[a-z]|\b)|(?<=\b)[1|](?=[a-z]{2})")
# A letter O read as a zero inside a word, or heading one ("0rdonnance", "T0TAL").
_OCR_O = re.compile(r"(?<=[a-z])0(?=[a-z])|(?<![\w.,])0(?=[a-z]{3})")


# The word TOTAL with one letter of it misread ("fotal", "Totsl", "TOTAI"): the label a
# receipt's amount hangs on, in every language here; no word of theirs is one letter from
# it but "tonal", which no receipt prints before an amount.
_TOTAL_ONE_LETTER_OFF = re.compile(
    r"(?<![a-z])(?!tonal)(?:[a-z]otal|t[a-z]tal|to[a-z]al|tot[a-z]l|tota[a-z])(?![a-z])"
)


def label_text(text: str) -> str:
    """Folded text for keyword search, with the commonest OCR letter/digit swaps inside words
    undone ("Tota1" -> "total", "T0TAL" -> "total", "fotal" -> "total"); same length, so
    offsets still match."""
    folded = _fold(text)
    folded = _OCR_L.sub("l", folded)
    folded = _OCR_O.sub("o", folded)
    return _TOTAL_ONE_LETTER_OFF.sub("total", folded)


# "Customer service", and the title of the customer's copy of a receipt or card slip ("Ticket
# client", "Copie client", "Customer copy", "Copia cliente"): no customer's address follows.
_NOT_A_CUSTOMER_LABEL = re.compile(
    # ("Customer Billing Receipt", "Customer Merchant Copy": a word may come between.)
    r"customer\s?(?:[a-z]+\s?)?(?:service|care|copy|receipt)|service\s?client|client\s?copy"
    r"|(?:ticket|copie|exemplaire|duplicata|recu|facturette|copy|copia|recibo|ticket)"
    r"\s?(?:du\s|del\s|para\s?el\s|for\s)?(?:client|cliente|customer)"
    r"|(?:client|cliente)\s?(?:a\s?conserver|copy)"
)


def customer_zone(folded: list[str]) -> set[int]:
    """Indexes of lines in a customer address block: the label line and the few after it."""
    zone: set[int] = set()
    for i, f in enumerate(folded):
        # "An", "To", "Pour" alone on its line: the caption over the addressee's block.
        caption = TO_CAPTION.fullmatch(f)
        if caption or (CUSTOMER.search(f) and not _NOT_A_CUSTOMER_LABEL.search(f)):
            zone.update(range(i, min(i + 5, len(folded))))
    return zone


def box_below(lines: list[Line], i: int, box: Box) -> Box | None:
    """The box of the next line (same page, close below) that overlaps `box` horizontally."""
    if i + 1 >= len(lines) or lines[i + 1].page != lines[i].page:
        return None
    nxt = lines[i + 1]
    if nxt.y0 - box.y1 > 3 * box.height:
        return None
    best, best_overlap = None, 0.0
    for other in nxt.boxes:
        overlap = min(box.x1, other.x1) - max(box.x0, other.x0)
        if overlap > best_overlap:
            best, best_overlap = other, overlap
    return best


def box_above(lines: list[Line], i: int, x0: float, x1: float) -> str:
    """Folded text of the box of the previous line overlapping [x0, x1], or ''."""
    if i == 0 or lines[i - 1].page != lines[i].page:
        return ""
    prev = lines[i - 1]
    best, best_overlap = "", 0.0
    for other in prev.boxes:
        overlap = min(x1, other.x1) - max(x0, other.x0)
        if overlap > best_overlap:
            best, best_overlap = _fold(other.text), overlap
    return best


def wrapped_cell(lines: list[Line], j: int, label: Box, value: Box) -> list[tuple[int, Box]]:
    """The boxes (line index, box) of the cell holding `value`, right of `label` on line `j`,
    top to bottom: the lines the cell wraps onto when the label stands in the middle of
    them, as a table centres a label beside a value of two or three lines ("Firmenname:"
    beside "The" / "Sellercompany" / "Incorporated", "Rechnungsnummer:" beside
    "02_FT_BIS3_V31_B" / "2B"). A label level with the first line of its value keeps that
    line alone: the lines under it may be the address."""
    height = max(value.y1 - value.y0, 1.0)
    nearby = range(max(0, j - 4), min(len(lines), j + 5))

    def centre(box: Box) -> float:
        return (box.y0 + box.y1) / 2

    def in_caption_column(box: Box) -> bool:
        return label.x0 - height <= box.x0 < value.x0 - height

    # The other rows' captions, in the label's column: a line is theirs when it stands
    # nearer one of them (OCR may set a centred caption a line below its value's first line).
    captions = [
        centre(b)
        for n in nearby
        if lines[n].page == lines[j].page
        for b in lines[n].boxes
        if b is not label and in_caption_column(b)
    ]
    cell = [(j, value)]
    for step in (-1, 1):
        edge = value
        for n in range(j + step, j + 4 * step, step):
            if not 0 <= n < len(lines) or lines[n].page != lines[j].page:
                break
            if any(map(in_caption_column, lines[n].boxes)):
                break  # the next row's label
            under = [b for b in lines[n].boxes if abs(b.x0 - value.x0) <= height / 2]
            if not under or (under[0].y0 - edge.y1 if step > 0 else edge.y0 - under[0].y1) > (
                height / 2
            ):
                break
            mine = abs(centre(under[0]) - centre(label))
            if any(abs(centre(under[0]) - other) < mine for other in captions):
                break
            edge = under[0]
            cell.append((n, edge))
    if len(cell) == 1:
        return cell
    top, bottom = min(b.y0 for _, b in cell), max(b.y1 for _, b in cell)
    if abs(centre(label) - (top + bottom) / 2) > height / 3:
        return cell[:1]
    return sorted(cell, key=lambda row: (row[1].y0, row[1].y1))


# The two-letter codes of the states of the United States (and DC) and of Canada's provinces
# and territories, as an address prints them after its city ("Boulder, CO 80302").
US_STATES = frozenset(
    "AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH "
    "NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY".split()
)
CANADIAN_PROVINCES = frozenset("AB BC MB NB NL NS NT NU ON PE QC SK YT".split())
US_STATE_NAMES = (
    "Alabama|Alaska|Arizona|Arkansas|California|Colorado|Connecticut|Delaware|Florida|Georgia|"
    "Hawaii|Idaho|Illinois|Indiana|Iowa|Kansas|Kentucky|Louisiana|Maine|Maryland|Massachusetts|"
    "Michigan|Minnesota|Mississippi|Missouri|Montana|Nebraska|Nevada|New Hampshire|New Jersey|"
    "New Mexico|New York|North Carolina|North Dakota|Ohio|Oklahoma|Oregon|Pennsylvania|"
    "Rhode Island|South Carolina|South Dakota|Tennessee|Texas|Utah|Vermont|Virginia|Washington|"
    "West Virginia|Wisconsin|Wyoming"
)
