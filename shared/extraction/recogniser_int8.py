"""The text recogniser with its convolutions in 8-bit integers: ~1.7x faster, a little less exact.

`ocr` gives it the pages whose text is wider than a till roll's (`OCR_INT8=wide`, the
default), where it reads about as the float one; `all` gives it receipts too. Recognition is
~80% of an image page's OCR time and 86% of recognition is convolutions (PP-OCR's depthwise
3x3 and pointwise 1x1), which onnxruntime runs in 8 bits with the CPU's integer dot-product instructions (VNNI on current
x86). Measured on this project's machine (README: extraction), float -> 8 bits:
- scanned A4 invoices (facturx_stripped at 150 dpi), CPU per page, median / p95: 1.56 / 3.47 s
  -> 1.05 / 2.17 s side by side on two cores. Fields: invoice number 100 -> 96.6% (a space
  lost: `471102vom05.06.2018`, which `invoices.numbers._number_token` now reads: 100%), date
  99.1 -> 98.3% (-> 100% with it);
- receipt photos (both unseen SROIE folders, one per file), total / date / company:
  97.3 / 97.6 / 91.7% -> 96.5 / 97.1 / 90.3% and 97.2 / 99.1 / 90.5% -> 96.6 / 99.4 / 89.3%
  (letters of one shape read for another: `6` -> `8`, `KL` -> `K1`, `H` -> `LL`). CPU per
  page median ~1.3 -> ~1.1 s.
So receipts stay with the float recogniser unless a deployment wants the speed more.

How it is quantized, and why:
- static quantization (QDQ, per output channel, weights int8, activations uint8): the
  activation ranges are measured once, on calibration strips. Dynamic quantization turns a
  convolution into `ConvInteger`, which onnxruntime ran 4x slower than the float one;
- convolutions only: the attention blocks' matrix products and the softmax stay in float;
- the stem (the first `FLOAT_HEAD_CONVS` convolutions, which see the raw pixels) and the neck
  (the last `FLOAT_TAIL_CONVS`, next to the output layer) stay in float: quantized, they
  made the 8-bit model read 119 characters of 5,983 unlike the float one, against 68
  (strips of 30 unseen SROIE receipts, compared with the float model's reading, no truth);
- ranges are a moving average over the calibration batches (`CalibMovingAverage`): plain
  min/max let a few strips stretch every range (137 -> 90 characters); percentile and
  entropy calibration did no better (119, 189 of 7,889 on the shared receipts' strips,
  against 127);
- the calibration strips are drawn here (`calibration_strips`): words, amounts, dates and
  numbers of the four languages in Pillow's bundled font, at several sizes, contrasts,
  blurs and noise levels, joined as `ocr` joins a line's crops. No corpus image is used, so
  no benchmark has seen them; they calibrate as well as receipt strips (68 against 63).
The error is spread over the network (each quantized convolution's output at 20-28 dB
signal-to-noise), not in a few layers to keep in float: keeping more in float (the squeeze
and excite convolutions, the last stage) bought back little (127 -> 107) and half the speed.

The model is built from the float one (~10 s), kept in a folder under a name carrying the
float model's digest, onnxruntime's version and its own digest, and read from there
afterwards; a kept file whose bytes no longer give its digest is built again.
`python -m shared.extraction.recogniser_int8 [DIR]` builds it ahead: scripts/bootstrap.sh does,
so cloudbuild.yaml packs the deployment with it and no request pays for the build.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import sys
import tempfile
from pathlib import Path

import numpy as np

from .ocr import REC_GAP, REC_HEIGHT, rec_input

log = logging.getLogger(__name__)

CALIBRATION_STRIPS = 160
CALIBRATION_SEED = 20261206
FLOAT_HEAD_CONVS = 4
FLOAT_TAIL_CONVS = 3
# Bump when the recipe changes: it names the built file.
RECIPE = 1

_WORDS = (
    "TOTAL Total SUBTOTAL Montant TTC HT TVA MwSt Summe Betrag IVA Importe Fecha Date Datum "
    "Facture Rechnung Factura Invoice Receipt Ticket CASH Cash Change Rendu Espèces Carte CB "
    "VISA Qty Qté Menge Unit Price Prix Preis Amount Tax GST SST Rounding Discount Remise "
    "Rabatt Tel Fax Email www SARL SAS GmbH S.L. Ltd Rue Avenue Straße Calle Road No Merci "
    "Danke Gracias Thank you Please come again Cashier Caissier Kasse Table Order Café Crème "
    "Brot Wasser Agua Pan Coffee Tea Rice Sugar Milk Boulangerie Bäckerei Farmacia Hardware"
).split()


def _token(rng: np.random.Generator) -> str:
    kind = int(rng.integers(0, 6))
    if kind == 0:
        return f"{rng.integers(0, 10000)}.{rng.integers(0, 100):02d}"
    if kind == 1:
        return f"{rng.integers(1, 29):02d}/{rng.integers(1, 13):02d}/{rng.integers(2015, 2027)}"
    if kind == 2:
        return str(rng.integers(0, 10 ** int(rng.integers(3, 12))))
    if kind == 3:
        return f"{rng.integers(0, 1000)},{rng.integers(0, 100):02d}"
    word = str(rng.choice(_WORDS))
    return word if rng.random() < 0.7 else word.upper()


def _strip(rng: np.random.Generator) -> np.ndarray:
    from PIL import Image, ImageDraw, ImageFilter, ImageFont

    parts: list[np.ndarray] = []
    for _ in range(int(rng.integers(1, 4))):
        text = " ".join(_token(rng) for _ in range(int(rng.integers(1, 6))))
        font = ImageFont.load_default(size=int(rng.integers(16, 44)))
        left, top, right, bottom = (int(edge) for edge in font.getbbox(text))
        pad = int(rng.integers(1, 6))
        paper, ink = int(rng.integers(170, 256)), int(rng.integers(0, 90))
        crop = Image.new("L", (right + 2 * pad, bottom - min(top, 0) + 2 * pad), paper)
        ImageDraw.Draw(crop).text(
            (pad, pad - min(top, 0)),
            text,
            font=font,
            fill=ink,
            stroke_width=int(rng.random() < 0.2),
        )
        if rng.random() < 0.4:
            crop = crop.filter(ImageFilter.GaussianBlur(float(rng.uniform(0.3, 1.2))))
        width = max(1, round(crop.width * REC_HEIGHT / crop.height * rng.uniform(0.7, 1.0)))
        pixels = np.asarray(crop.resize((width, REC_HEIGHT)), dtype=np.float32)
        pixels = np.clip(pixels + rng.normal(0, rng.uniform(0, 12), pixels.shape), 0, 255)
        parts += [pixels, np.full((REC_HEIGHT, REC_GAP), 128.0, dtype=np.float32)]
    return rec_input(np.concatenate(parts[:-1], axis=1))


def calibration_strips(n: int = CALIBRATION_STRIPS, seed: int = CALIBRATION_SEED) -> list:
    """`n` recogniser inputs (1x3x48xW, normalised as `ocr` feeds them), drawn from `seed`."""
    rng = np.random.default_rng(seed)
    return [_strip(rng) for _ in range(n)]


def quantize(model_bytes: bytes) -> bytes:
    """The float recogniser `model_bytes` with its convolutions quantized (module docstring)."""

    import onnxruntime

    # Shape-merge warnings of the pre-processing pass (the cut output layer) are noise here.
    onnxruntime.set_default_logger_severity(3)
    try:
        return _quantized(model_bytes)
    finally:
        onnxruntime.set_default_logger_severity(2)


def _quantized(model_bytes: bytes) -> bytes:
    import onnx
    from onnx import version_converter
    from onnxruntime.quantization import (
        CalibrationDataReader,
        CalibrationMethod,
        QuantFormat,
        QuantType,
        quant_pre_process,
        quantize_static,
    )

    model = onnx.load_from_string(model_bytes)
    if model.opset_import[0].version < 13:  # per-channel scales need opset 13
        model = version_converter.convert_version(model, 13)
    input_name = model.graph.input[0].name
    strips = calibration_strips()

    class Strips(CalibrationDataReader):
        def __init__(self) -> None:
            self.left = iter(strips)

        def get_next(self):
            strip = next(self.left, None)
            return None if strip is None else {input_name: strip}

    with tempfile.TemporaryDirectory(prefix="rec-int8-") as work:
        source, prepared, built = (Path(work) / name for name in ("f.onnx", "p.onnx", "q.onnx"))
        onnx.save(model, source)
        quant_pre_process(str(source), str(prepared), skip_symbolic_shape=True)
        convs = [n.name for n in onnx.load(prepared).graph.node if n.op_type == "Conv"]
        quantize_static(
            str(prepared),
            str(built),
            Strips(),
            quant_format=QuantFormat.QDQ,
            per_channel=True,
            activation_type=QuantType.QUInt8,
            weight_type=QuantType.QInt8,
            op_types_to_quantize=["Conv"],
            nodes_to_exclude=convs[:FLOAT_HEAD_CONVS] + convs[-FLOAT_TAIL_CONVS:],
            calibrate_method=CalibrationMethod.MinMax,
            extra_options={"CalibMovingAverage": True},
        )
        return built.read_bytes()


def built_prefix(model_bytes: bytes) -> str:
    """What the built model's file name starts with: the float model's digest, the recipe,
    onnxruntime's version (a new one of any of them is another file)."""
    import onnxruntime

    digest = hashlib.sha256(model_bytes).hexdigest()[:16]
    return f"rec-int8-{digest}-r{RECIPE}-ort{onnxruntime.__version__}-"


def kept_name(model_bytes: bytes, built: bytes) -> str:
    """The built model's file name: `built_prefix`, then the digest of its own bytes, which
    tells a whole file from a damaged one (cut short, a bit flipped) when it is read."""
    return f"{built_prefix(model_bytes)}{hashlib.sha256(built).hexdigest()[:16]}.onnx"


def load_or_build(model_bytes: bytes, folder: Path) -> bytes:
    """The quantized model of `model_bytes`: read from `folder` when built there before and
    whole, otherwise built and kept there (written whole or not at all; a damaged file is
    replaced). A folder that cannot be written (a read-only deployment) only costs the build
    at each start."""
    prefix = built_prefix(model_bytes)
    for path in sorted(folder.glob(f"{prefix}*.onnx")):
        kept = path.read_bytes()
        if path.name == kept_name(model_bytes, kept):
            return kept
        log.error("8-bit recogniser %s is damaged (its digest differs): built again", path)
        with contextlib.suppress(OSError):
            path.unlink()
    log.info("building the 8-bit recogniser into %s (once per machine, ~10 s)", folder)
    built = quantize(model_bytes)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, suffix=".part", delete=False) as part:
            part.write(built)
        os.chmod(part.name, 0o644)
        os.replace(part.name, folder / kept_name(model_bytes, built))
    except OSError as error:
        log.warning("8-bit recogniser not kept in %s: %s", folder, error)
    return built


if __name__ == "__main__":
    from . import ocr

    ocr.configure(model_dir=sys.argv[1] if len(sys.argv) > 1 else None)
    ocr._get_engine()
    print("8-bit recogniser ready:", ocr.MODEL_DIR)
