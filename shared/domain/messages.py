"""The one catalogue of user-facing texts (WhatsApp), in French, Spanish, English and German.

Every text a user can read in the chat comes from `render(key, language, **params)`; the
language is the member's locale when known, else the one of the phone number's country
(`language_for`). Amounts and dates are written the way each language writes them.

>>> language_for(None, "+34612345678")
'es'
>>> language_for("de-AT", "+33612345678")
'de'
>>> language_for(None, "+15551234567")
'en'
>>> from decimal import Decimal
>>> format_amount(Decimal("-42.50"), "EUR", "fr")
'−42,50 €'
>>> format_amount(Decimal("-1850"), "EUR", "en")
'−1,850.00 €'
>>> from datetime import date
>>> format_day(date(2026, 11, 20), "es")
'20 nov'
>>> render("opted_out", "de")
'Sie erhalten keine Nachrichten mehr von uns. Senden Sie START, um zurückzukommen.'
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from shared.errors import NotFound

LANGUAGES = ("fr", "es", "en", "de")
DEFAULT_LANGUAGE = "en"

# Calling code -> language of the chat. Longest prefix wins (+352 before +35). Countries where
# none of our four languages is usual get English.
_CALLING_CODES = {
    "33": "fr", "262": "fr", "590": "fr", "594": "fr", "596": "fr", "687": "fr", "689": "fr",
    "32": "fr", "352": "fr", "377": "fr", "212": "fr", "216": "fr", "221": "fr", "225": "fr",
    "34": "es", "52": "es", "54": "es", "56": "es", "57": "es", "51": "es", "58": "es",
    "593": "es", "591": "es", "595": "es", "598": "es", "506": "es", "507": "es", "502": "es",
    "503": "es", "504": "es", "505": "es", "53": "es",
    "49": "de", "43": "de", "41": "de", "423": "de",
    "44": "en", "1": "en", "353": "en", "61": "en", "64": "en",
}  # fmt: skip
_LONGEST_CODE = max(len(code) for code in _CALLING_CODES)

_MONTHS = {
    "fr": ("janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.",
           "nov.", "déc."),
    "es": ("ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sept", "oct", "nov", "dic"),
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
    "de": ("Jan.", "Feb.", "März", "Apr.", "Mai", "Juni", "Juli", "Aug.", "Sept.", "Okt.",
           "Nov.", "Dez."),
}  # fmt: skip
_SYMBOLS = {"EUR": "€", "USD": "$", "GBP": "£"}
# (thousands separator, decimal separator)
_SEPARATORS = {"fr": ("\u202f", ","), "es": (".", ","), "en": (",", "."), "de": (".", ",")}


def language_for(locale: str | None, phone: str | None) -> str:
    """The chat language: the member's locale ("es", "de-AT", "fr_BE") if it is one of ours,
    else the language of the phone number's country, else English."""
    if locale:
        language = locale.replace("_", "-").split("-", 1)[0].strip().lower()
        if language in LANGUAGES:
            return language
    digits = (phone or "").removeprefix("whatsapp:").lstrip("+")
    for size in range(min(_LONGEST_CODE, len(digits)), 0, -1):
        by_country = _CALLING_CODES.get(digits[:size])
        if by_country:
            return by_country
    return DEFAULT_LANGUAGE


def normalize_language(language: str | None) -> str:
    return language if language in LANGUAGES else DEFAULT_LANGUAGE


def format_amount(amount: Decimal, currency: str, language: str) -> str:
    """'−42,50 €' (fr/es/de) or '−42.50 €' (en); a true minus sign, the symbol after."""
    thousands, decimal_mark = _SEPARATORS[normalize_language(language)]
    sign = "−" if amount < 0 else ""
    whole, _, cents = f"{abs(amount):,.2f}".partition(".")
    number = whole.replace(",", thousands) + decimal_mark + cents
    return f"{sign}{number} {_SYMBOLS.get(currency, currency)}"


def format_day(day: date, language: str) -> str:
    """'20 Nov', '20 nov.', '20. Nov.': the day and the short month, no year."""
    language = normalize_language(language)
    month = _MONTHS[language][day.month - 1]
    return f"{day.day}. {month}" if language == "de" else f"{day.day} {month}"


# Reasons a file could not be used, by the stable refusal codes of the extraction engine
# (shared.extraction.model.REFUSAL_CODES) plus the channel's own.
_REASONS: dict[str, dict[str, str]] = {
    "unsupported_type": {
        "fr": "ce n'est pas une photo ni un PDF (JPEG, PNG, HEIC ou PDF)",
        "es": "no es una foto ni un PDF (JPEG, PNG, HEIC o PDF)",
        "en": "it is not a photo or a PDF (JPEG, PNG, HEIC or PDF)",
        "de": "es ist weder ein Foto noch ein PDF (JPEG, PNG, HEIC oder PDF)",
    },
    "too_large": {
        "fr": "le fichier dépasse {max_mb} Mo",
        "es": "el archivo supera los {max_mb} MB",
        "en": "the file is over {max_mb} MB",
        "de": "die Datei ist größer als {max_mb} MB",
    },
    "empty_file": {
        "fr": "le fichier est vide",
        "es": "el archivo está vacío",
        "en": "the file is empty",
        "de": "die Datei ist leer",
    },
    "damaged": {
        "fr": "le fichier est endommagé",
        "es": "el archivo está dañado",
        "en": "the file is damaged",
        "de": "die Datei ist beschädigt",
    },
    "encrypted_pdf": {
        "fr": "le PDF est protégé par un mot de passe",
        "es": "el PDF está protegido con contraseña",
        "en": "the PDF is password-protected",
        "de": "das PDF ist passwortgeschützt",
    },
    "too_many_pages": {
        "fr": "le document a trop de pages",
        "es": "el documento tiene demasiadas páginas",
        "en": "the document has too many pages",
        "de": "das Dokument hat zu viele Seiten",
    },
    "unreadable": {
        "fr": "il est illisible (envoyez une photo plus nette ou le PDF d'origine)",
        "es": "no se puede leer (envíe una foto más nítida o el PDF original)",
        "en": "it could not be read (send a clearer photo or the original PDF)",
        "de": "es ist nicht lesbar (senden Sie ein schärferes Foto oder das Original-PDF)",
    },
    "too_much_text": {
        "fr": "il contient bien plus de texte qu'une facture",
        "es": "contiene mucho más texto que una factura",
        "en": "it holds far more text than an invoice",
        "de": "es enthält weit mehr Text als eine Rechnung",
    },
    "over_budget": {
        "fr": "sa lecture a pris trop de temps (envoyez une photo plus nette ou moins de pages)",
        "es": "su lectura tardó demasiado (envíe una foto más nítida o menos páginas)",
        "en": "reading it took too long (send a clearer photo or fewer pages)",
        "de": "das Lesen hat zu lange gedauert (senden Sie ein schärferes Foto oder weniger Seiten)",
    },
    "fetch_failed": {
        "fr": "il n'a pas pu être récupéré depuis WhatsApp",
        "es": "no se pudo descargar de WhatsApp",
        "en": "it could not be fetched from WhatsApp",
        "de": "es konnte nicht von WhatsApp abgerufen werden",
    },
    "processing_failed": {
        "fr": "son traitement a échoué après plusieurs essais",
        "es": "su procesamiento falló tras varios intentos",
        "en": "processing it failed after several attempts",
        "de": "die Verarbeitung ist nach mehreren Versuchen fehlgeschlagen",
    },
}
_REASON_ALIASES = {
    "corrupt_pdf": "damaged",
    "corrupt_image": "damaged",
    "decompression_bomb": "unreadable",
}

_TEXTS: dict[str, dict[str, str]] = {
    "unknown_number": {
        "fr": "Bonjour ! Ce numéro n'est lié à aucune société. Ouvrez le lien WhatsApp de votre "
        "profil de membre, ou demandez à un administrateur d'ajouter votre numéro, puis envoyez "
        "vos justificatifs ici.",
        "es": "¡Hola! Este número no está vinculado a ninguna empresa. Abra el enlace de WhatsApp "
        "de su perfil de miembro, o pida a un administrador que añada su número, y envíe aquí "
        "sus justificantes.",
        "en": "Hello! This number is not linked to any company yet. Open the WhatsApp link in "
        "your member profile, or ask an admin to add your phone number, then send your receipts "
        "here.",
        "de": "Hallo! Diese Nummer ist noch mit keinem Unternehmen verknüpft. Öffnen Sie den "
        "WhatsApp-Link in Ihrem Mitgliederprofil oder bitten Sie einen Admin, Ihre Nummer "
        "einzutragen, und senden Sie dann Ihre Belege hierher.",
    },
    "documents_only": {
        "fr": "Merci ! Je ne lis que les justificatifs et factures : envoyez une photo ou un PDF "
        '(JPEG, PNG, HEIC ou PDF, {max_mb} Mo max). Envoyez "sociétés" pour choisir la société, '
        "STOP pour ne plus recevoir de messages.",
        "es": "¡Gracias! Solo leo justificantes y facturas: envíe una foto o un PDF (JPEG, PNG, "
        'HEIC o PDF, {max_mb} MB como máximo). Envíe "empresas" para elegir la empresa, BAJA '
        "para no recibir más mensajes.",
        "en": "Thanks for your message! I can only read receipts and invoices: send a photo or a "
        'PDF (JPEG, PNG, HEIC or PDF, {max_mb} MB at most). Send "companies" to choose the '
        "company, STOP to stop messages.",
        "de": "Danke! Ich lese nur Belege und Rechnungen: Senden Sie ein Foto oder ein PDF (JPEG, "
        'PNG, HEIC oder PDF, höchstens {max_mb} MB). Senden Sie "Firmen", um das Unternehmen zu '
        "wählen, STOPP, um keine Nachrichten mehr zu erhalten.",
    },
    "received_one": {
        "fr": "🔎 Bien reçu, je lis votre document…",
        "es": "🔎 Recibido, estoy leyendo su documento…",
        "en": "🔎 Got it, reading your document…",
        "de": "🔎 Erhalten, ich lese Ihr Dokument…",
    },
    "received_many": {
        "fr": "🔎 Bien reçu, je lis vos {count} documents…",
        "es": "🔎 Recibido, estoy leyendo sus {count} documentos…",
        "en": "🔎 Got it, reading your {count} documents…",
        "de": "🔎 Erhalten, ich lese Ihre {count} Dokumente…",
    },
    "accepted_matched": {
        "fr": "✅ {document} est dans les factures fournisseurs de {company}, rattaché à "
        "{counterparty} {amount} du {day}.",
        "es": "✅ {document} está en las facturas de proveedores de {company}, asociado a "
        "{counterparty} {amount} del {day}.",
        "en": "✅ {document} is in {company}'s supplier invoices, attached to {counterparty} "
        "{amount} on {day}.",
        "de": "✅ {document} ist in den Lieferantenrechnungen von {company}, zugeordnet zu "
        "{counterparty} {amount} vom {day}.",
    },
    "accepted_waiting": {
        "fr": "✅ {document} est dans les factures fournisseurs de {company}. Il sera rattaché "
        "au paiement dès qu'il arrivera.",
        "es": "✅ {document} está en las facturas de proveedores de {company}. Se asociará al "
        "pago cuando llegue.",
        "en": "✅ {document} is in {company}'s supplier invoices. It will be matched when the "
        "payment arrives.",
        "de": "✅ {document} ist in den Lieferantenrechnungen von {company}. Es wird der Zahlung "
        "zugeordnet, sobald sie eingeht.",
    },
    "accepted_sales": {
        "fr": "✅ {document} est dans les factures de vente de {company} (une facture émise par "
        "l'entreprise n'est rattachée à aucun paiement).",
        "es": "✅ {document} está en las facturas de venta de {company} (una factura emitida por "
        "la empresa no se asocia a ningún pago).",
        "en": "✅ {document} is in {company}'s sales invoices (an invoice the company issued is "
        "not attached to a payment).",
        "de": "✅ {document} ist in den Ausgangsrechnungen von {company} (eine Rechnung des "
        "Unternehmens wird keiner Zahlung zugeordnet).",
    },
    "matched_later": {
        "fr": "✅ {document} est maintenant rattaché à {counterparty} {amount} du {day}.",
        "es": "✅ {document} ya está asociado a {counterparty} {amount} del {day}.",
        "en": "✅ {document} is now attached to {counterparty} {amount} on {day}.",
        "de": "✅ {document} ist jetzt {counterparty} {amount} vom {day} zugeordnet.",
    },
    "refused": {
        "fr": "❌ {document} n'a pas pu être utilisé : {reason}. Merci de le renvoyer.",
        "es": "❌ No se pudo usar {document}: {reason}. Por favor, envíelo de nuevo.",
        "en": "❌ {document} could not be used: {reason}. Please send it again.",
        "de": "❌ {document} konnte nicht verwendet werden: {reason}. Bitte senden Sie es erneut.",
    },
    # How a document is named in the texts above: by its supplier when read, else by its place.
    "document_named": {
        "fr": "Votre justificatif {name}",
        "es": "Su justificante de {name}",
        "en": "Your receipt from {name}",
        "de": "Ihr Beleg von {name}",
    },
    "document_plain": {
        "fr": "Votre document",
        "es": "Su documento",
        "en": "Your document",
        "de": "Ihr Dokument",
    },
    "document_numbered": {
        "fr": "Votre document n° {number}",
        "es": "Su documento n.º {number}",
        "en": "Your document no. {number}",
        "de": "Ihr Dokument Nr. {number}",
    },
    "opted_out": {
        "fr": "Vous ne recevrez plus de messages de notre part. Envoyez START pour revenir.",
        "es": "Ya no recibirá más mensajes nuestros. Envíe ALTA para volver.",
        "en": "You will not receive any more messages from us. Send START to come back.",
        "de": "Sie erhalten keine Nachrichten mehr von uns. Senden Sie START, um zurückzukommen.",
    },
    "opted_in": {
        "fr": "Bon retour ! Envoyez vos justificatifs et factures ici. Envoyez STOP pour arrêter.",
        "es": "¡Bienvenido de nuevo! Envíe aquí sus justificantes y facturas. Envíe BAJA para "
        "dejar de recibir mensajes.",
        "en": "Welcome back! Send your receipts and invoices here. Send STOP to stop.",
        "de": "Willkommen zurück! Senden Sie Ihre Belege und Rechnungen hierher. Senden Sie STOPP "
        "zum Beenden.",
    },
    "welcome": {
        "fr": "✅ WhatsApp est activé pour {company}. Envoyez ici les photos ou PDF de vos "
        'justificatifs et factures. Pour changer de société, envoyez "sociétés" ; pour ne plus '
        "recevoir de messages, envoyez STOP.",
        "es": "✅ WhatsApp está activado para {company}. Envíe aquí fotos o PDF de sus "
        'justificantes y facturas. Para cambiar de empresa, envíe "empresas"; para no recibir '
        "más mensajes, envíe BAJA.",
        "en": "✅ WhatsApp is activated for {company}. Send photos or PDFs of your receipts and "
        'invoices here. To switch company, send "companies"; to stop messages, send STOP.',
        "de": "✅ WhatsApp ist für {company} aktiviert. Senden Sie Fotos oder PDFs Ihrer Belege "
        'und Rechnungen hierher. Um das Unternehmen zu wechseln, senden Sie "Firmen"; um keine '
        "Nachrichten mehr zu erhalten, senden Sie STOPP.",
    },
    "activation_invalid": {
        "fr": "Ce code d'activation n'est pas valide ou a expiré : ouvrez à nouveau le lien "
        "WhatsApp de votre profil de membre.",
        "es": "Este código de activación no es válido o ha caducado: abra de nuevo el enlace de "
        "WhatsApp de su perfil de miembro.",
        "en": "This activation code is not valid or has expired: open the WhatsApp link in your "
        "member profile again.",
        "de": "Dieser Aktivierungscode ist ungültig oder abgelaufen: Öffnen Sie den WhatsApp-Link "
        "in Ihrem Mitgliederprofil erneut.",
    },
    "activation_number_taken": {
        "fr": "Ce numéro WhatsApp est déjà utilisé par un autre membre : demandez à un "
        "administrateur de vérifier les numéros de téléphone.",
        "es": "Este número de WhatsApp ya lo usa otro miembro: pida a un administrador que revise "
        "los números de teléfono.",
        "en": "This WhatsApp number is already used by another member: ask an admin to check the "
        "phone numbers.",
        "de": "Diese WhatsApp-Nummer wird bereits von einem anderen Mitglied verwendet: Bitten Sie "
        "einen Admin, die Telefonnummern zu prüfen.",
    },
    "companies_header": {
        "fr": "Vos sociétés :",
        "es": "Sus empresas:",
        "en": "Your companies:",
        "de": "Ihre Unternehmen:",
    },
    "companies_current": {
        "fr": " (actuelle)",
        "es": " (actual)",
        "en": " (current)",
        "de": " (aktuell)",
    },
    "companies_footer": {
        "fr": 'Répondez "switch N" pour envoyer vos documents à la société N.',
        "es": 'Responda "switch N" para enviar sus documentos a la empresa N.',
        "en": 'Reply "switch N" to send documents to company N.',
        "de": 'Antworten Sie "switch N", um Dokumente an Unternehmen N zu senden.',
    },
    "missing_company_hint": {
        "fr": "Une société manque ? Liez votre numéro à cette société dans votre profil de "
        "membre ; la liste se met à jour le lendemain matin.",
        "es": "¿Falta una empresa? Vincule su número a esa empresa en su perfil de miembro; la "
        "lista se actualiza a la mañana siguiente.",
        "en": "Missing a company? Link your number to that company in your member profile; the "
        "list updates the next morning.",
        "de": "Fehlt ein Unternehmen? Verknüpfen Sie Ihre Nummer in Ihrem Mitgliederprofil mit "
        "diesem Unternehmen; die Liste wird am nächsten Morgen aktualisiert.",
    },
    "switched": {
        "fr": "✅ Les documents que vous envoyez vont maintenant à {company}.",
        "es": "✅ Los documentos que envíe irán ahora a {company}.",
        "en": "✅ Documents you send now go to {company}.",
        "de": "✅ Dokumente, die Sie senden, gehen jetzt an {company}.",
    },
    "switch_out_of_range": {
        "fr": "Choisissez un numéro entre 1 et {count}.",
        "es": "Elija un número entre 1 y {count}.",
        "en": "Choose a number between 1 and {count}.",
        "de": "Wählen Sie eine Zahl zwischen 1 und {count}.",
    },
    "receipt_reminder": {
        "fr": "Vous avez payé {amount} chez {merchant} le {day} : répondez avec une photo du "
        "justificatif.",
        "es": "Pagó {amount} en {merchant} el {day}: responda con una foto del justificante.",
        "en": "You paid {amount} at {merchant} on {day}: reply with a photo of the receipt.",
        "de": "Sie haben am {day} {amount} bei {merchant} bezahlt: Antworten Sie mit einem Foto "
        "des Belegs.",
    },
}

# Messages that may go outside the 24-hour window as approved templates, with the order of
# their variables ({{1}}, {{2}}, ...) as the template was submitted to WhatsApp.
TEMPLATE_VARIABLES: dict[str, tuple[str, ...]] = {
    "matched_later": ("document", "counterparty", "amount", "day"),
    "accepted_matched": ("document", "company", "counterparty", "amount", "day"),
    "accepted_waiting": ("document", "company"),
    "accepted_sales": ("document", "company"),
    "refused": ("document", "reason"),
    "receipt_reminder": ("amount", "merchant", "day"),
}


class UnknownMessage(NotFound, KeyError):
    pass


def render(key: str, language: str, **params: object) -> str:
    """The text `key` in `language` (English when the language is not one of ours)."""
    try:
        texts = _TEXTS[key]
    except KeyError:
        raise UnknownMessage(key) from None
    text = texts[normalize_language(language)]
    for name, value in params.items():
        if str(value).endswith("."):
            # "20 nov." ending a sentence takes no second period.
            text = text.replace("{" + name + "}.", "{" + name + "}")
    return text.format(**params)


def reason(code: str | None, language: str, **params: object) -> str:
    """Why a file could not be used, from a refusal code; unknown codes read as unreadable."""
    code = _REASON_ALIASES.get(code or "", code or "")
    texts = _REASONS.get(code) or _REASONS["unreadable"]
    return texts[normalize_language(language)].format(**params)


def template_variables(key: str, **params: object) -> dict[str, str]:
    """ContentVariables for template `key`: {"1": ..., "2": ...} in the submitted order."""
    names = TEMPLATE_VARIABLES[key]
    return {str(i): str(params[name]) for i, name in enumerate(names, start=1)}


def keys() -> tuple[str, ...]:
    return tuple(_TEXTS)
