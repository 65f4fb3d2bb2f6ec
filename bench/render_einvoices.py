"""Prints e-invoices (UBL or CII XML) as a German or English reader sees them, to PDFs that
`bench/einvoice_sources.py` reads from their text layer against the XML they came from.

    python bench/render_einvoices.py [--lang LANG] [--fop FOP_CONF] XSL_DIR OUT_DIR XML...

Each invoice goes through KoSIT's XRechnung visualization (its XSLT 3.0 stylesheets, run by
Saxon: the XML to the semantic model, then to the viewer's HTML, German or English by a hash
of the file name, or `--lang`: `fr` with the French labels Mustang adds to the visualization,
ZUGFeRD/mustangproject @ 096db40a `library/src/main/resources/stylesheets/l10n/fr.xml`, copied
into XSL_DIR/l10n), and the HTML is printed to PDF by headless Chromium, as a recipient of an
XRechnung prints it from the viewer; with `--fop`, the semantic model goes to the
visualization's own PDF layout instead (XSL-FO, typeset by Apache FOP with the project's
`conf/fop.xconf` and its fonts). Next to `NAME.pdf` the XML is copied as
`NAME.xml`: the truth. An XML the stylesheets refuse is reported and skipped.

The tools are not the project's dependencies (the benchmark only reads the PDFs): in any
venv, `pip install saxonche==13.1.1`, and Debian's `chromium` and `fop` packages. This machine has no
internet: session 30 filled the folders from itplr-kosit/xrechnung-visualization @ 41b81de
(`src/xsl`, `src/test/instances`), itplr-kosit/xrechnung-testsuite @ 5528afa
(`src/test/business-cases`, `src/test/technical-cases`) and ConnectingEurope/eInvoicing-EN16931
@ b6c9e06 (`cii/examples`, `ubl/examples`). Session 32 printed three more folders, first
read before any miss was listed: `inv_new` from phax/phive-rules @ 432f0e9a (the valid test
files of `phive-rules-ublbe` en16931/v1.31, `-simplerinvoicing` SI-UBL-2.0.3.2,
`-peppol-italy` 3.2.1/invoice, `-zugferd` 2.5.2/en16931, `-peppol` aunz-peppol/1.0.12);
`inv_new2` from the same repository's `-oioubl` 2.0.2, `-simplerinvoicing` SI-UBL-1.2 and
`-peppol-pint` pint-om/1.0.1/billing/inv, with itplr-kosit/validator-configuration-xrechnung
@ 6faac15 (`src/test`) and horstoeko/zugferd @ 50e16a1 (`tests/assets`, `examples/assets`);
`inv_new3` from its `-france`, `-cius-ro`, `-cius-pt`, `-ehf`, `-serbia` and
`-energieefactuur` test files (not under `bad`, `invalid` or `error`).
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

STYLESHEETS = {
    "cii": "cii-xr.xsl",
    "ubl-invoice": "ubl-invoice-xr.xsl",
    "ubl-credit-note": "ubl-creditnote-xr.xsl",
}


def syntax(xml: str) -> str:
    head = xml[:4000]
    if "CrossIndustryInvoice" in head:
        return "cii"
    return "ubl-credit-note" if "CreditNote-2" in head else "ubl-invoice"


def language(name: str) -> str:
    return "en" if hashlib.sha256(name.encode()).digest()[0] % 3 == 0 else "de"


def print_to_pdf(html: Path, pdf: Path) -> None:
    subprocess.run(
        [
            "chromium",
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-pdf-header-footer",
            f"--print-to-pdf={pdf}",
            html.as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )


def typeset(fo: Path, pdf: Path, conf: Path) -> None:
    fonts = fo.parent / "fonts"  # FOP finds the configuration's fonts beside the FO file
    if not fonts.exists():
        fonts.symlink_to(conf.parent / "fonts")
    subprocess.run(
        ["fop", "-c", str(conf), "-fo", str(fo), "-pdf", str(pdf.resolve())],
        check=True,
        capture_output=True,
        timeout=300,
    )


def main(argv: list[str]) -> int:
    from saxonche import PySaxonProcessor

    fop_conf, lang = None, None
    if argv[0] == "--lang":
        lang, argv = argv[1], argv[2:]
    if argv[0] == "--fop":
        fop_conf, argv = Path(argv[1]).resolve(), argv[2:]
    xsl, out = Path(argv[0]), Path(argv[1])
    out.mkdir(parents=True, exist_ok=True)
    with PySaxonProcessor(license=False) as saxon, tempfile.TemporaryDirectory() as work:
        xslt = saxon.new_xslt30_processor()
        to_model = {
            kind: xslt.compile_stylesheet(stylesheet_file=str(xsl / sheet))
            for kind, sheet in STYLESHEETS.items()
        }
        to_view = xslt.compile_stylesheet(
            stylesheet_file=str(xsl / ("xr-pdf.xsl" if fop_conf else "xrechnung-html.xsl"))
        )
        if fop_conf:
            to_view.set_parameter("foengine", saxon.make_string_value("fop"))
        for source in map(Path, argv[2:]):
            name = f"{source.parent.name}-{source.stem}"
            model = Path(work) / f"{name}.xr.xml"
            view = Path(work) / (f"{name}.fo" if fop_conf else f"{name}.html")
            try:
                to_model[syntax(source.read_text(encoding="utf-8"))].transform_to_file(
                    source_file=str(source), output_file=str(model)
                )
                to_view.set_parameter("lang", saxon.make_string_value(lang or language(name)))
                to_view.transform_to_file(source_file=str(model), output_file=str(view))
                if fop_conf:
                    typeset(view, out / f"{name}.pdf", fop_conf)
                else:
                    print_to_pdf(view, out / f"{name}.pdf")
            except Exception as error:  # noqa: BLE001 - one invoice the stylesheets refuse
                print(f"skipped {source}: {error}")
                continue
            shutil.copyfile(source, out / f"{name}.xml")
            print(f"{name}.pdf ({lang or language(name)})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
