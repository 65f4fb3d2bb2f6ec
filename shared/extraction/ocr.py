"""OCR with RapidOCR (PP-OCR models run by onnxruntime, offline from the wheel's models).

The engine is created lazily, once per process, on first use (never at import time): loading
the models costs memory and time that a function instance which only sorts files must not pay.

Settings, chosen for speed on one core at equal accuracy on the receipt corpora (measured with
`bench/extraction.py`, CPU seconds per page):
- onnxruntime intra-op and inter-op threads = 1 (`OCR_THREADS` env var overrides), so one
  extraction uses one core and instances scale by concurrency instead. Its CPU memory arena
  stays off (`ORT_MEM_ARENA`): on, recognition is ~5% faster but the arena keeps the largest
  strips' buffers and peak RSS over the SROIE corpus went from ~0.6 to ~0.95 GB;
- no angle classifier (upright text after EXIF orientation; it cost ~0.4 s per receipt).
  A page photographed or scanned sideways or upside down, with no EXIF orientation to say
  so, is turned by two cheaper signs instead (`_read_upright`): text boxes standing taller
  than wide (sideways), and the recogniser's low confidence on text read upside down. An
  upright page pays nothing more;
- detection on at most `DET_MAX_PIXELS`, boxes scaled back to the full image (a cheaper
  low-resolution detection pass was tried: its coarser boxes cost SROIE total and date hits);
- recognition of one strip per visual line (`OCR_BY_LINE=0` restores rapidocr's own
  per-box path): the recogniser pads every input to 320x48, so a receipt's many short crops
  cost a full line each; strips cut recognition work by about a third, and are padded only to
  `REC_MIN_WIDTH`. Batches do not help: they pad to the widest member;
- recognition cost is proportional to strip width, i.e. to the crops' aspect ratios, not to
  the photo's resolution. Body text photographed taller than the recogniser's 48 px (the
  German receipt photos) keeps its shape when narrowed to `REC_WIDTH_SCALE` of its width,
  about 2 CTC steps per character; small or upscaled text (SROIE scans) and headings
  (larger, bold fonts) are read at full width, where narrowing misread M as H;
- the page's three tallest headings (the shop's sign) are read a second time narrowed to
  `HEADING_RESCALES`, and that reading is taken only when it adds thin letters (a bold "OiL"
  read "OL" at full width). German merchant names 84.6% -> 96.2%, SROIE unchanged, CPU per
  page unchanged within noise (1.20 s vs 1.18 s over 30 receipts).
- the shop's name, when one of its boxes was read under 0.98 (`pipeline._reread_name`), is read
  again from its rows, detected unshrunk and enlarged (`read_band`): SROIE company 93.0/87.5%
  -> 94.0/89.4% (full/held-out). CPU per image page over SROIE and the German receipts went
  from median 1.23 s, p95 1.87 s to 1.35 s, 2.02 s (SROIE 1.22/1.84 -> 1.34/1.93 s, German
  1.45/1.93 -> 1.64/2.23 s), peak RSS 704 -> 766 MB. A page turned or levelled to be read
  has its band cut from the image turned and levelled the same way (`OcrPage.frame`): SROIE
  company 93.7/89.4% -> 94.0/89.4% (OCR cache; the boxes themselves are unchanged).
- a sign printed letter-spaced comes back with a letter standing alone ("Q UILLON");
  the characters' places in the strip (CTC timesteps) tell such a space from a word's, and
  it is taken out (`_respaced`). No corpus figure moves (SROIE, German receipts); a German
  sign's name now reads as one word instead of four letters.

- the shop's name's boxes are read a third time, alone, three ways (`respell_boxes`), and a
  word no dictionary knows is respelt into the dictionary word one edit away when all three
  readings' CTC likelihoods support it (`spelling`): unseen SROIE tuning half HARDWARÉ ->
  HARDWARE, SEAFOD -> SEAFOOD, +2; sealed halves, shared SROIE, German and synthetic
  receipts unchanged. ~60 ms on a page whose name has a word no dictionary knows; a name
  read in dictionary words alone is not read again. A word read with an accent is read
  again too, and the accent goes when every reading finds the word likelier without it
  (`GARDÉNIA` on an English receipt, a French word too, so no dictionary could tell):
  SROIE test set company 90.0 -> 90.3%, every other corpus unchanged; synthetic French
  receipts, whose names carry accents, cost ~60 ms more per page (median 0.02 -> 0.08 s
  with the OCR cache) and keep every accent.

- the recogniser's output layer scores 18,710 characters, 16,000 of them Chinese, Japanese and
  Korean; cut down to the 2,616 a Latin-script document can hold (`_latin_only`), a strip
  costs ~10% less (scanned A4 invoices, facturx_stripped at 150 dpi, CPU per page: median
  1.67 -> 1.54 s, p95 3.84 -> 3.58 s; unseen SROIE receipts, measured a session apart,
  1.35 -> 1.29 s). Latin text reads the same; the Chinese lines of Malaysian receipts now
  read as Latin junk instead of Chinese, which no field rule takes: every corpus's figures
  are identical. Cutting it costs ~0.6 s and ~60 MB once, when the engine is built (1.45 s
  against 0.81 s).

- a page whose text is wider than a till roll's (`INT8_MIN_TEXT_WIDTH`: an invoice's or a
  letter's page) is read by the recogniser with its convolutions in 8 bits (`recogniser_int8`,
  `OCR_INT8=wide`): scanned A4 invoices, facturx_stripped at 150 dpi, CPU per page side by
  side on two cores, median 1.54 -> 1.05 s, p95 3.57 -> 2.26 s, every field as read by the
  float one but a date more (elsewhere a few fields in a few hundred scanned invoices less:
  README). Receipts stay with the float recogniser: in 8 bits they read ~1% of
  their fields worse (`OCR_INT8=all` takes that for ~15% less CPU).

This module reaches into rapidocr 3.10 (`_load_rec_model`, the recogniser's `session`, the
model file its onnxruntime session was loaded from, and its CTC alphabet), which is why
rapidocr must stay pinned.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from functools import cached_property
from itertools import pairwise
from pathlib import Path
from typing import NamedTuple

import numpy as np
from PIL import Image

from .layout import Box

# Detection resizes the page so that its longer side is at most this; a receipt line stays
# ~15 px tall, enough for the detector, while the detector's cost stays ~0.2 s.
DET_MAX_SIDE = 1600
# Detection runs on at most this many pixels (about 0.3 s on one core); see `_ocr_by_line`.
DET_MAX_PIXELS = 700_000
# The longest side we hand to OCR at all; larger photos are shrunk first. High enough that a
# phone photo of a long receipt (~900x3500) keeps its text taller than the recogniser's 48 px,
# which is what lets `REC_WIDTH_SCALE` apply; memory stays ~40 MB for the BGR copy.
OCR_MAX_SIDE = 3600
# ...and at most this many pixels: an A4 page scanned at 600 dpi (35 MP) is read at ~4 MP, where
# its text is still taller than 48 px, at a fraction of the memory.
OCR_MAX_PIXELS = 4_000_000
# Horizontal scale of body-text crops taller than the recogniser's input (see the module
# docstring). 0.5 lost dates on the German receipts (repeated digits merge in CTC); 0.65
# was the lowest at equal accuracy; 0.7 keeps a margin.
REC_WIDTH_SCALE = 0.7
# Crops at least this tall (px, before resizing to the recogniser's height) may be narrowed...
REC_SQUEEZE_MIN_HEIGHT = 48
# ...unless they are taller than this many times the page's median crop (a heading).
REC_SQUEEZE_MAX_RATIO = 1.25
# Grey gap between the crops of one strip, px; see `_ocr_by_line`.
REC_GAP = 24
# Strips narrower than this are padded (grey) to it. rapidocr pads to 320 px, which made a
# short line ("ALDI", "SUMME 9,00") cost as much as a long one; 160 reads the same on both
# corpora for 5% (SROIE) to 12% (German) less CPU.
REC_MIN_WIDTH = 160
# onnxruntime's CPU memory arena: off, as rapidocr's default (see the module docstring).
ORT_MEM_ARENA = False

# Set by the composition root from `OCR_THREADS` / `OCR_BY_LINE` / `OCR_INT8` /
# `OCR_MODEL_DIR` (shared/config.py): this pure module reads no environment.
THREADS = 1
BY_LINE = True
# Which pages the recogniser with 8-bit convolutions (`recogniser_int8`, built once into
# MODEL_DIR) reads: "wide" ones (text wider than `INT8_MIN_TEXT_WIDTH`: a document's page,
# where it reads about as the float one and saves a third of the CPU), "all" (receipts too, where
# it reads ~1% of fields worse) or none ("off").
INT8_MODES = ("off", "wide", "all")
INT8 = "wide"
# A page whose text is at least this many text heights wide (`_text_width`) is a document's
# page, not a till roll's: 1,291 receipt photos and scans (both unseen SROIE folders, the shared
# SROIE and German receipts) measure 6.8 to 23.8 (p99 20.6); 271 scanned pages of invoices
# (facturx_stripped and 30 ZUGFeRD examples at 150 dpi) 15.6 to 45.8, median 34.8, 5% under
# 22.4. Such a narrow invoice page (large print, short lines) stays with the float recogniser.
INT8_MIN_TEXT_WIDTH = 26.0
# Built ahead by `python -m shared.extraction.recogniser_int8` (scripts/bootstrap.sh, so before
# cloudbuild.yaml packs the source).
DEFAULT_MODEL_DIR = Path(__file__).resolve().parent / "models"
MODEL_DIR = DEFAULT_MODEL_DIR

# A page whose text boxes mostly stand taller than wide (this share of the boxes clearly
# longer one way than the other) was photographed or scanned sideways: it is turned a
# quarter turn before it is read.
SIDEWAYS_SHARE = 0.6
# Characters read on an upright page score at least 0.90 on average on every page of the
# corpora (1,526 receipt and invoice pages, photos and scans); the same pages read upside
# down or sideways score 0.55-0.69. Below this, the page is read again turned half a turn,
# and the more confident reading is kept.
UPRIGHT_MIN_CONFIDENCE = 0.8

# A page whose long text boxes slant by a median of 0.5 to 30 degrees (at least this many
# of them) is grouped into lines as if levelled (`_levelled`); below, `layout.deskew`'s
# shear is enough, and above, the page is sideways or the boxes are not lines.
LEVEL_MIN_LINES = 5
LEVEL_MIN_RADIANS = float(np.radians(0.5))
LEVEL_MAX_RADIANS = float(np.radians(30))

_engine = None
# The 8-bit recogniser (its convolutions quantized), built with the engine unless INT8 is off.
_quick = None
_lock = threading.Lock()


def configure(
    *,
    threads: int = 1,
    by_line: bool = True,
    int8: str = "wide",
    model_dir: str | Path | None = None,
) -> None:
    """Engine threads, 8-bit recogniser and where it is kept (None: `DEFAULT_MODEL_DIR`), all
    taken when the engine is first built, and the line-strip default."""
    if int8 not in INT8_MODES:
        raise ValueError(f"int8 must be one of {INT8_MODES}, not {int8!r}")
    global THREADS, BY_LINE, INT8, MODEL_DIR
    THREADS, BY_LINE, INT8 = threads, by_line, int8
    MODEL_DIR = Path(model_dir) if model_dir else DEFAULT_MODEL_DIR


def _get_engine():
    global _engine, _quick
    if _engine is None:
        with _lock:
            if _engine is None:
                from rapidocr import RapidOCR

                threads = THREADS
                engine = RapidOCR(
                    params={
                        "Global.log_level": "error",
                        "Global.use_cls": False,
                        "Global.max_side_len": OCR_MAX_SIDE,
                        "Det.limit_type": "max",
                        "Det.limit_side_len": DET_MAX_SIDE,
                        "Rec.rec_batch_num": 1,
                        "EngineConfig.onnxruntime.intra_op_num_threads": threads,
                        "EngineConfig.onnxruntime.inter_op_num_threads": threads,
                        "EngineConfig.onnxruntime.enable_cpu_mem_arena": ORT_MEM_ARENA,
                    }
                )
                # Published once cut: no thread may read the new layer with the old alphabet.
                recogniser = engine._load_rec_model()
                latin = _latin_only(recogniser)
                if INT8 != "off":
                    _quick = _quantized(recogniser, latin, MODEL_DIR)
                _engine = engine
    return _engine


# Unicode names of the characters of Chinese, Japanese and Korean text (and its punctuation).
_CJK_NAMES = ("CJK", "HANGUL", "HIRAGANA", "KATAKANA", "BOPOMOFO", "IDEOGRAPHIC")


def _is_cjk(character: str) -> bool:
    return len(character) == 1 and unicodedata.name(character, "").startswith(_CJK_NAMES)


def _latin_only(recogniser) -> bytes:
    """Cut the recogniser's output layer down to the characters a Latin-script document
    can hold: of its 18,710 classes, 16,000 are Chinese, Japanese and Korean characters,
    and the layer that scores them all costs ~10% of every strip's recognition. Returns the
    cut model."""
    import onnx
    from onnx import numpy_helper

    session = recogniser.session.session
    alphabet = recogniser.postprocess_op.character
    keep = [i for i, character in enumerate(alphabet) if i == 0 or not _is_cjk(character)]
    model = onnx.load(session._model_path)
    graph = model.graph
    # The output layer's weights and bias: the tensors sized by the alphabet.
    layer = [init for init in graph.initializer if init.dims and init.dims[-1] == len(alphabet)]
    if len(layer) != 2:
        raise RuntimeError(f"recogniser output layer not found ({len(layer)} tensors)")
    for init in layer:
        sliced = numpy_helper.to_array(init)[..., keep]
        init.CopyFrom(numpy_helper.from_array(sliced, init.name))
    graph.output[0].type.tensor_type.shape.dim[-1].dim_value = len(keep)
    model_bytes = model.SerializeToString()
    recogniser.session.session = _session_like(session, model_bytes)
    recogniser.postprocess_op.character = [alphabet[i] for i in keep]
    return model_bytes


def _session_like(session, model_bytes: bytes):
    """An onnxruntime session of `model_bytes` with `session`'s options and providers."""
    from onnxruntime import GraphOptimizationLevel, InferenceSession, SessionOptions

    options = SessionOptions()
    old = session.get_session_options()
    options.log_severity_level = 4
    options.enable_cpu_mem_arena = old.enable_cpu_mem_arena
    options.intra_op_num_threads = old.intra_op_num_threads
    options.inter_op_num_threads = old.inter_op_num_threads
    options.graph_optimization_level = GraphOptimizationLevel.ORT_ENABLE_ALL
    return InferenceSession(model_bytes, sess_options=options, providers=session.get_providers())


def _quantized(recogniser, model_bytes: bytes, model_dir: Path):
    """A copy of `recogniser` running the 8-bit version of `model_bytes` (`recogniser_int8`),
    or None when it cannot be built or loaded (pages are then all read by the float one, as
    logged)."""
    import copy
    import logging

    from .recogniser_int8 import load_or_build

    quick = copy.copy(recogniser)
    quick.session = copy.copy(recogniser.session)
    try:
        quick_bytes = load_or_build(model_bytes, model_dir)
        quick.session.session = _session_like(recogniser.session.session, quick_bytes)
    except Exception:  # no quantization tools, a damaged file: OCR goes on in float
        logging.getLogger(__name__).exception("8-bit recogniser not loaded: float only")
        return None
    return quick


# The affine map (a 2x3 matrix, row-major) from the pixels of the image handed to OCR
# (`_bgr_array`) to the coordinates of its boxes: the identity for a page read as given.
Frame = tuple[float, float, float, float, float, float]
IDENTITY: Frame = (1.0, 0.0, 0.0, 0.0, 1.0, 0.0)


class OcrPage(NamedTuple):
    """The text boxes of an image, and the map (`frame`) from the image's pixels to their
    coordinates: the identity, or the page turned upright or levelled to be read
    (`_read_upright`). A second look at part of the image (`read_band`) cuts its rows in
    that frame."""

    boxes: list[Box]
    frame: Frame = IDENTITY

    @property
    def as_given(self) -> bool:
        """Whether the boxes are in the image's own pixel coordinates."""
        return self.frame == IDENTITY


class PagePixels:
    """An image's pixels as its boxes were read (`OcrPage.frame`): converted, shrunk, turned
    and levelled once, on first use, for every second look at the page (`read_band`,
    `read_row`, `respell_boxes`)."""

    def __init__(self, img: Image.Image, frame: Frame = IDENTITY) -> None:
        self.img = img
        self.frame = frame

    @cached_property
    def array(self) -> np.ndarray:
        return _in_frame(_bgr_array(self.img), self.frame)


def ocr_page(img: Image.Image) -> OcrPage:
    """`ocr_image`'s boxes, and the frame they are in."""
    if not BY_LINE:
        return OcrPage(ocr_image(img, by_line=False))
    return _read_upright(_get_engine(), _bgr_array(img))


def ocr_image(img: Image.Image, *, by_line: bool | None = None) -> list[Box]:
    """Text boxes found in an RGB image, in image pixel coordinates (of the image shrunk to
    `OCR_MAX_SIDE` / `OCR_MAX_PIXELS` when it is larger), or of the page turned upright or
    levelled to be read (`ocr_page` says which).

    With `by_line` (the default, `OCR_BY_LINE=0` turns it off), the crops of one visual line
    are recognised as a single strip: the recogniser pads every input to at least 320x48, so
    the short crops of a receipt ("RM", "9.00", "Total:") cost as much as a full line. One
    strip per line cuts recognition work by about a third; each line then comes back as one
    box, in x-order, with words separated by spaces.
    """
    if by_line is None:
        by_line = BY_LINE
    array = _bgr_array(img)
    engine = _get_engine()
    if by_line:
        return _read_upright(engine, array).boxes
    result = engine(array, use_cls=False, use_rec=True)
    boxes: list[Box] = []
    if result.boxes is None or result.txts is None:
        return boxes
    for quad, text, score in zip(result.boxes, result.txts, result.scores, strict=False):
        text = str(text).translate(_FULL_WIDTH).strip()
        if not text:
            continue
        xs = [float(p[0]) for p in quad]
        ys = [float(p[1]) for p in quad]
        boxes.append(Box(text, min(xs), min(ys), max(xs), max(ys), float(score)))
    return boxes


def _bgr_array(img: Image.Image) -> np.ndarray:
    """The image as a BGR array (what cv2 and rapidocr expect), at most `OCR_MAX_SIDE` long
    and `OCR_MAX_PIXELS` large.

    One conversion and one area-average resize in cv2: about 4x cheaper than Pillow's
    LANCZOS thumbnail plus a reversed-channel copy on a 3 MP receipt photo.
    """
    import cv2

    array = cv2.cvtColor(np.asarray(img.convert("RGB")), cv2.COLOR_RGB2BGR)
    height, width = array.shape[:2]
    ratio = min(OCR_MAX_SIDE / max(height, width), (OCR_MAX_PIXELS / (height * width)) ** 0.5)
    if ratio < 1.0:
        size = (max(1, round(width * ratio)), max(1, round(height * ratio)))
        array = cv2.resize(array, size, interpolation=cv2.INTER_AREA)
    return array


REC_HEIGHT = 48  # the recogniser's input height


# `read_band` enlarges its rows by this much before detection: on SROIE, company hits went
# from 93.0% to 93.3% read at the page's own scale and to 94.0% at 1.5 (2.0: no better, slower).
BAND_SCALE = 1.5
# ...unless that makes it larger than this: detection cost grows with the pixels, and a band
# across a wide photo holds text large enough at its own size.
BAND_MAX_PIXELS = 400_000
# Rows read a second time by `read_band` lose the boxes that reach this close (px) to the
# band's top or bottom edge: text cut by the crop reads as a fragment.
BAND_EDGE = 2


def read_band(pixels: PagePixels, top: float, bottom: float) -> list[Box]:
    """Text boxes of the rows `top`..`bottom` of the page (in the coordinates of `ocr_page`'s
    boxes), detected enlarged by `BAND_SCALE`.

    The page's own detection runs on at most `DET_MAX_PIXELS`, and at that scale it may miss
    a short word of a large scan ("CO." before "(M) SDN BHD") or cut a box short; a band of
    a few rows is small enough to be detected unshrunk, and enlarged. Boxes cut by the
    band's edges are left out."""
    array = pixels.array
    start = max(0, int(top))
    band = array[start : min(array.shape[0], int(np.ceil(bottom)))]
    if band.shape[0] < 2:
        return []
    import cv2

    scale = min(BAND_SCALE, (BAND_MAX_PIXELS / (band.shape[0] * band.shape[1])) ** 0.5)
    interpolation = cv2.INTER_CUBIC if scale > 1.0 else cv2.INTER_AREA
    band = cv2.resize(band, None, fx=scale, fy=scale, interpolation=interpolation)
    limit = band.shape[0] - BAND_EDGE
    engine = _get_engine()
    quads = _detect(engine, band)
    return [
        Box(b.text, b.x0 / scale, b.y0 / scale + start, b.x1 / scale, b.y1 / scale + start, b.score)
        for b in _ocr_by_line(engine, band, quads, quads)
        if b.y0 > BAND_EDGE and b.y1 < limit
    ]


# A row read whole by `read_row` is at most this wide at the recogniser's height (a row of
# a 2400 px page, 40 px tall, is ~2900).
ROW_MAX_WIDTH = 4000


def read_row(pixels: PagePixels, top: float, bottom: float) -> Box | None:
    """The rows `top`..`bottom` of the page (in the coordinates of `ocr_page`'s boxes) read
    as one strip, the page's whole width, with no detection: a box of its text, or None.

    Detection, on a page shrunk to `DET_MAX_PIXELS`, loses faded thermal print ("30/04/"
    before "2017 13:29:56"), while the recogniser, given the row, still reads it."""
    import cv2

    array = pixels.array
    start, stop = max(0, int(top)), min(array.shape[0], int(np.ceil(bottom)))
    if stop - start < 2:
        return None
    row = array[start:stop]
    width = min(ROW_MAX_WIDTH, max(1, int(round(row.shape[1] * REC_HEIGHT / row.shape[0]))))
    strip = cv2.resize(row, (width, REC_HEIGHT))
    recogniser = _get_engine()._load_rec_model()
    reading = _recognise(recogniser, strip, [(0, width)], recogniser.postprocess_op.character)[0]
    text = reading.text.strip()
    if not text or reading.score < _MIN_TEXT_SCORE:
        return None
    return Box(text, 0.0, float(start), float(array.shape[1]), float(stop), reading.score)


# How a box is read again by `respell_boxes`: (rows and columns kept around it, in box
# heights; its width, of its own at the recogniser's height). A word is respelt only when
# every reading supports it: one reading alone misreads too.
RESPELL_READINGS = ((0.0, 1.0), (0.15, 1.0), (0.15, 0.8))


def respell_boxes(pixels: PagePixels, boxes: list[Box]) -> dict[str, str]:
    """Words of `boxes` (of `ocr_page`'s reading of the page) that the recogniser
    misspelt, each with the dictionary word its own evidence supports (`spelling.respelt`).
    Each box is read again alone (`RESPELL_READINGS`), and its text as the page read it is
    weighed on those outputs: a word the strip misread is often read right alone."""
    import cv2

    from .lexicon import in_dictionary
    from .spelling import needs_respelling, respelt

    # Most names are read right: their page, recogniser and readings are not touched.
    boxes = [b for b in boxes if needs_respelling(b.text, in_dictionary)]
    if not boxes:
        return {}
    array = pixels.array
    recogniser = _get_engine()._load_rec_model()
    alphabet = recogniser.postprocess_op.character
    classes = {ch: i for i, ch in enumerate(alphabet) if i and len(ch) == 1}

    def encode(text: str) -> list[int] | None:
        label = [classes.get(ch) for ch in text]
        return None if None in label else label  # type: ignore[return-value]

    words: dict[str, str] = {}
    for box in boxes:
        readings = []
        for margin, scale in RESPELL_READINGS:
            pad = margin * box.height
            top, bottom = max(0, int(box.y0 - pad)), int(np.ceil(box.y1 + pad))
            left, right = max(0, int(box.x0 - pad)), int(np.ceil(box.x1 + pad))
            crop = array[top:bottom, left:right]
            if crop.shape[0] < 2 or crop.shape[1] < 2:
                break
            width = max(1, int(round(crop.shape[1] * REC_HEIGHT * scale / crop.shape[0])))
            readings.append(_evidence(recogniser, cv2.resize(crop, (width, REC_HEIGHT))))
        else:
            fixed = respelt(box.text, readings, encode, in_dictionary)
            for read, meant in zip(box.text.split(), fixed.split(), strict=False):
                if read != meant:
                    words[read] = meant
    return words


def _evidence(recogniser, strip: np.ndarray) -> np.ndarray:
    """The recogniser's output for one strip: timesteps x classes, each row summing to 1.
    Same normalisation as the recogniser's own preprocessing; a smaller minimum width."""
    return recogniser.session(rec_input(strip))[0]


def rec_input(strip: np.ndarray) -> np.ndarray:
    """The recogniser's input for a strip (HxWx3 BGR, or HxW grey, `REC_HEIGHT` tall): 1x3xHxW,
    scaled to [-1, 1] as its own preprocessing does, padded to `REC_MIN_WIDTH` (0: mid-grey)."""
    pixels = strip if strip.dtype.kind == "f" else strip.astype(np.float32)
    channels = pixels.transpose(2, 0, 1) if pixels.ndim == 3 else pixels[None]
    tensor = np.zeros((1, 3, REC_HEIGHT, max(strip.shape[1], REC_MIN_WIDTH)), dtype=np.float32)
    tensor[0, :, :, : strip.shape[1]] = (channels / 255 - 0.5) / 0.5
    return tensor


def _in_frame(array: np.ndarray, frame: Frame) -> np.ndarray:
    """`array` turned and levelled as `frame` says (the page as it was read), its corners
    filled with the nearest edge's pixels."""
    if frame == IDENTITY:
        return array
    import cv2

    matrix = np.array(frame, dtype=np.float64).reshape(2, 3)
    height, width = array.shape[:2]
    # The last pixel's index, not the size, is what the map moves.
    last = np.array([[0, 0, 1], [width - 1, 0, 1], [0, height - 1, 1], [width - 1, height - 1, 1]])
    far = (last @ matrix.T).max(axis=0)
    size = (max(1, int(far[0]) + 1), max(1, int(far[1]) + 1))
    return cv2.warpAffine(
        array, matrix, size, flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE
    )


def _width_scale(height: int, body: float) -> float:
    """Horizontal scale for a crop `height` px tall on a page whose median crop is `body` px."""
    if height >= REC_SQUEEZE_MIN_HEIGHT and height <= REC_SQUEEZE_MAX_RATIO * body:
        return REC_WIDTH_SCALE
    return 1.0


def _detect(engine, array: np.ndarray) -> list[np.ndarray]:
    """Text quads in `array`'s coordinates. Detection cost grows with the pixel count; above
    `DET_MAX_PIXELS` it runs on a shrunk copy and the quads are scaled back, so that
    recognition still crops full-size text."""
    import cv2

    height, width = array.shape[:2]
    scale = min(1.0, (DET_MAX_PIXELS / float(height * width)) ** 0.5)
    det_input = array
    if scale < 1.0:
        det_input = cv2.resize(
            array,
            (max(1, int(width * scale)), max(1, int(height * scale))),
            interpolation=cv2.INTER_AREA,
        )
    det = engine(det_input, use_cls=False, use_rec=False)
    if det.boxes is None or len(det.boxes) == 0:
        return []
    return [np.array(quad, dtype=np.float32) / scale for quad in det.boxes]


_MIN_TEXT_SCORE = 0.5
# The recogniser's alphabet is Chinese + Latin: it sometimes reads "(" or ":" as the
# full-width forms (U+FF01..U+FF5E, U+3000). The documents we read are Latin-script, and the
# field rules expect ASCII punctuation, so those forms are folded back to ASCII.
_FULL_WIDTH = {0xFF01 + i: 0x21 + i for i in range(0x5E)} | {0x3000: 0x20}


def _read_upright(engine, array: np.ndarray) -> OcrPage:
    """The page's boxes read upright, in the coordinates of the page turned upright: turned
    a quarter when its text stands sideways, and half a turn when read that way the text is
    more confidently read (see `SIDEWAYS_SHARE`, `UPRIGHT_MIN_CONFIDENCE`); grouped level
    when the text slants (`_levelled`). The page's frame says where the boxes are."""
    import cv2

    height, width = array.shape[:2]
    turn = np.eye(3)
    quads = _detect(engine, array)
    if _sideways(quads):
        array = cv2.rotate(array, cv2.ROTATE_90_CLOCKWISE)
        turn = _quarter_turn(height)
        height, width = width, height
        quads = _detect(engine, array)
    layout, level = _levelled(quads)
    boxes = _ocr_by_line(engine, array, quads, layout)
    confidence = _confidence(boxes)
    if confidence >= UPRIGHT_MIN_CONFIDENCE:
        return OcrPage(boxes, _frame(level @ turn))
    turned = cv2.rotate(array, cv2.ROTATE_180)
    turned_quads = _detect(engine, turned)
    turned_layout, turned_level = _levelled(turned_quads)
    other = _ocr_by_line(engine, turned, turned_quads, turned_layout)
    if _confidence(other) > confidence:
        return OcrPage(other, _frame(turned_level @ _half_turn(width, height) @ turn))
    return OcrPage(boxes, _frame(level @ turn))


def _quarter_turn(height: int) -> np.ndarray:
    """The map of `cv2.ROTATE_90_CLOCKWISE` on an image `height` px tall (3x3, affine)."""
    return np.array([[0.0, -1.0, height - 1.0], [1.0, 0.0, 0.0], [0.0, 0.0, 1.0]])


def _half_turn(width: int, height: int) -> np.ndarray:
    """The map of `cv2.ROTATE_180` on an image `width` x `height` px (3x3, affine)."""
    return np.array([[-1.0, 0.0, width - 1.0], [0.0, -1.0, height - 1.0], [0.0, 0.0, 1.0]])


def _frame(matrix: np.ndarray) -> Frame:
    """A 3x3 affine matrix's top two rows, as `OcrPage.frame` keeps them (the identity
    exactly, so that a page read as given says so)."""
    if np.allclose(matrix, np.eye(3)):
        return IDENTITY
    (a, b, c), (d, e, f) = matrix[:2].tolist()
    return (a, b, c, d, e, f)


def _sideways(quads: list[np.ndarray]) -> bool:
    """Most of the clearly oblong text boxes stand taller than wide."""
    tall = wide = 0
    for quad in quads:
        width = float(np.linalg.norm(quad[1] - quad[0]))
        height = float(np.linalg.norm(quad[3] - quad[0]))
        if height > 1.5 * width:
            tall += 1
        elif width > 1.5 * height:
            wide += 1
    return tall >= 3 and tall >= SIDEWAYS_SHARE * (tall + wide)


def _levelled(quads: list[np.ndarray]) -> tuple[list[np.ndarray], np.ndarray]:
    """The quads turned about the origin so that the page's lines run level, and the 3x3
    affine map that turned them (the identity when they are left as found): a receipt
    photographed a few degrees askew has its label and its amount at different heights, and
    rows group wrongly (at 5 degrees, a third of the totals were lost). The detector's quads
    follow the text's slant, so the median slant of the clearly long ones is the page's;
    crops are still cut from the quads as found, which the recogniser reads level anyway."""
    slants = [
        float(np.arctan2(q[1][1] - q[0][1], q[1][0] - q[0][0]))
        for q in quads
        if np.linalg.norm(q[1] - q[0]) > 2 * np.linalg.norm(q[3] - q[0])
    ]
    if len(slants) < LEVEL_MIN_LINES:
        return quads, np.eye(3)
    slant = float(np.median(slants))
    if not LEVEL_MIN_RADIANS <= abs(slant) <= LEVEL_MAX_RADIANS:
        return quads, np.eye(3)
    cos, sin = np.cos(-slant), np.sin(-slant)
    turn = np.array([[cos, sin], [-sin, cos]], dtype=np.float32)
    levelled = [quad @ turn for quad in quads]
    # Kept in the first quadrant, as page coordinates are.
    origin = np.min([quad.min(axis=0) for quad in levelled], axis=0)
    # The same map on a column vector (x, y, 1): the turn's transpose, then the shift.
    level = np.eye(3)
    level[:2, :2] = turn.T
    level[:2, 2] = -origin
    return [quad - origin for quad in levelled], level


def _confidence(boxes: list[Box]) -> float:
    """Mean recogniser score per character read (0 when nothing was read)."""
    characters = sum(len(box.text) for box in boxes)
    if not characters:
        return 0.0
    return sum(box.score * len(box.text) for box in boxes) / characters


def _ocr_by_line(
    engine, array: np.ndarray, quads: list[np.ndarray], layout: list[np.ndarray]
) -> list[Box]:
    """Recognise each visual line of the detected `quads` as one strip and give every
    character back to the crop it was read from (CTC timesteps map to x positions in the
    strip). Lines are grouped, and boxes placed, by `layout` (the quads, or the quads
    levelled: `_levelled`)."""
    import cv2
    from rapidocr.utils.process_img import get_rotate_crop_image

    from .layout import group_lines

    if not quads:
        return []
    raw: dict[int, np.ndarray] = {}
    geometry: list[Box] = []
    for index, (quad, level) in enumerate(zip(quads, layout, strict=True)):
        xs, ys = level[:, 0], level[:, 1]
        geometry.append(
            Box(str(index), float(xs.min()), float(ys.min()), float(xs.max()), float(ys.max()))
        )
        crop = get_rotate_crop_image(array, quad.copy())
        if crop.shape[0] >= 2 and crop.shape[1] >= 2:
            raw[index] = crop
    body = float(np.median([c.shape[0] for c in raw.values()])) if raw else 0.0
    # The tallest headings (a shop's sign) are kept whole for a second reading; see
    # `_thin_letters_restored`. Only a few: the sign is what the second reading is for.
    heights = {i: c.shape[0] for i, c in raw.items()}
    tallest = sorted(heights, key=lambda i: heights[i], reverse=True)[:HEADINGS_REREAD]
    raw_heads = {i: raw[i] for i in tallest if heights[i] > REC_SQUEEZE_MAX_RATIO * body}
    crops: dict[int, np.ndarray] = {}
    for index, crop in raw.items():
        h, w = crop.shape[:2]
        width = max(1, int(round(w * REC_HEIGHT * _width_scale(h, body) / h)))
        crops[index] = cv2.resize(crop, (width, REC_HEIGHT))
    del raw

    recogniser = _recogniser_for(engine, _text_width(geometry))
    alphabet = recogniser.postprocess_op.character  # index 0 is the CTC blank
    boxes: list[Box] = []
    # Half a text height of grey between crops: characters stay apart (the CTC output has
    # blanks there) while the strip stays short; wider gaps cost ~5% more for nothing.
    gap = REC_GAP
    for line in group_lines(geometry):
        members = [b for b in line.boxes if int(b.text) in crops]
        if not members:
            continue
        pieces: list[np.ndarray] = []
        spans: list[tuple[int, int]] = []
        x = 0
        for box in members:
            part = crops[int(box.text)]
            if pieces:
                # A neutral grey gap (0 after normalisation, like the recogniser's own padding)
                # keeps neighbouring crops apart; background-coloured gaps read worse.
                pieces.append(np.full((REC_HEIGHT, gap, 3), 128, dtype=np.uint8))
                x += gap
            pieces.append(part)
            spans.append((x, x + part.shape[1]))
            x += part.shape[1]
        strip = np.concatenate(pieces, axis=1)
        for box, (text, score, centres) in zip(
            members, _recognise(recogniser, strip, spans, alphabet), strict=True
        ):
            if int(box.text) in raw_heads:
                read = text
                text = _thin_letters_restored(recogniser, raw_heads[int(box.text)], text, alphabet)
                if text != read:
                    centres = []  # placed by another reading: its spacing is left as read
            text = _respaced(text, centres).strip()
            if text and score >= _MIN_TEXT_SCORE:
                boxes.append(Box(text, box.x0, box.y0, box.x1, box.y1, score))
    return boxes


def _text_width(geometry: list[Box]) -> float:
    """How many text heights wide the page's text is: from the 2nd to the 98th percentile of
    its boxes' edges (a stray speck or stamp does not widen it), over their median height."""
    if not geometry:
        return 0.0
    left = float(np.percentile([b.x0 for b in geometry], 2))
    right = float(np.percentile([b.x1 for b in geometry], 98))
    return (right - left) / max(float(np.median([b.y1 - b.y0 for b in geometry])), 1.0)


def _recogniser_for(engine, text_width: float):
    """The recogniser for a page whose text is `text_width` text heights wide: the 8-bit one
    for a document's page (see `INT8`), the float one for a receipt's."""
    # rapidocr 3.10 loads its recogniser lazily; `_load_rec_model` is how `__call__` gets it.
    recogniser = engine._load_rec_model()
    if _quick is not None and (INT8 == "all" or text_width >= INT8_MIN_TEXT_WIDTH):
        return _quick
    return recogniser


# A sign or heading printed letter-spaced ("Q U I L L O N") has its letters' centres about
# one text height apart in the recogniser's strip, where body text stays at a third to two
# thirds (the CTC output places a character every 8 px of the 48 px strip, so pitches come
# in steps of a sixth to a quarter of the pitch). A bold, wide heading in a tight box
# reaches it too, so a space read there is taken out only where the geometry says plainly
# that it splits a word:
LETTER_SPACED_PITCH = 0.75
# a letter read alone less than this many pitches from its neighbour ("Q UILLON"), unless
# it is one of initials, letters alone followed by a word further off ("Z K QUILL", its Z
# and K read 1.2 pitches apart in a tight box). (A space is never added where none was
# read: a letter the recogniser lost leaves the same gap as a word space, "QU LLON".)
LETTER_SPACED_JOIN = 1.25


def _respaced(text: str, centres: list[float]) -> str:
    """`text` without the spaces read inside its words when it is printed letter-spaced
    (see `LETTER_SPACED_PITCH`): the recogniser reads such a line with a letter standing
    alone here and there ("Q UILLON", "Q U I L L O N"). Spaces next to digits or
    punctuation, and between words, are kept as read. `centres` are the x of `text`'s
    characters in the strip (empty: unknown, `text` is kept)."""
    if len(centres) != len(text):
        return text
    alone = {m.start() for m in re.finditer(r"(?<!\S)\S(?!\S)", text)}
    # (character, its x, whether a space was read before it, whether it stands alone)
    placed = [
        (ch, x, i > 0 and text[i - 1] == " ", i in alone)
        for i, (ch, x) in enumerate(zip(text, centres, strict=True))
        if ch != " "
    ]
    pairs = list(pairwise(placed))
    pitches = [b[1] - a[1] for a, b in pairs if a[0].isalpha() and b[0].isalpha()]
    if len(pitches) < 3 or float(np.median(pitches)) < LETTER_SPACED_PITCH * REC_HEIGHT:
        return text
    pitch = float(np.median(pitches))
    close = [
        b[2] and a[0].isalpha() and b[0].isalpha() and (b[1] - a[1]) < LETTER_SPACED_JOIN * pitch
        for a, b in pairs
    ]
    out = [placed[0][0]]
    for k, ((_, _, _, before_alone), (ch, _, spaced, ch_alone)) in enumerate(pairs):
        if close[k] and (before_alone or ch_alone) and not _initials(placed, close, k):
            spaced = False
        out.append(" " + ch if spaced else ch)
    return "".join(out)


def _initials(placed: list, close: list[bool], k: int) -> bool:
    """Whether the space after `placed[k]` is between initials: both letters stand alone
    and the run of letters alone they are in ends at a space that is not `close`, before a
    word ("Z K QUILL")."""
    if not (placed[k][3] and placed[k + 1][3]):
        return False
    end = k + 1
    while end + 1 < len(placed) and placed[end + 1][3] and placed[end + 1][2]:
        end += 1
    return end + 1 < len(placed) and placed[end + 1][2] and not close[end]


# Letters that are one thin stroke: in a wide, bold heading font CTC can merge them into a
# neighbour ("OiL" read "OL"); read narrower, the stroke gets its own timesteps.
_THIN = frozenset("iIl1|!")
HEADING_RESCALES = (0.7,)
# Heading crops read a second time per page, tallest first.
HEADINGS_REREAD = 3


def _thin_letters_restored(recogniser, crop: np.ndarray, text: str, alphabet) -> str:
    """`text`, the reading of a heading crop, or a narrower reading of it that only adds thin
    letters (a second reading that changes any other letter is not trusted)."""
    import cv2

    h, w = crop.shape[:2]
    for scale in HEADING_RESCALES:
        width = max(1, int(round(w * REC_HEIGHT * scale / h)))
        narrow = cv2.resize(crop, (width, REC_HEIGHT))
        other = _recognise(recogniser, narrow, [(0, width)], alphabet)[0].text
        if len(other) > len(text) and _adds_only_thin(text.strip(), other.strip()):
            return other
    return text


def _adds_only_thin(base: str, other: str) -> bool:
    """Whether `other` is `base` with thin letters (`_THIN`) inserted, and nothing else."""
    k = 0
    for ch in other:
        if k < len(base) and ch == base[k]:
            k += 1
        elif ch not in _THIN:
            return False
    return k == len(base) and len(other) > len(base)


class _Reading(NamedTuple):
    """A crop's text, its mean confidence, and each character's x in the strip."""

    text: str
    score: float
    centres: list[float]


def _recognise(
    recogniser, strip: np.ndarray, spans: list[tuple[int, int]], alphabet
) -> list[_Reading]:
    """CTC-decode one strip; characters are assigned to the span (crop) nearest their x."""
    width = max(strip.shape[1], REC_MIN_WIDTH)
    preds = _evidence(recogniser, strip)
    indices = preds.argmax(axis=1)
    probs = preds[np.arange(len(indices)), indices]
    step = width / len(indices)
    texts: list[list[str]] = [[] for _ in spans]
    confs: list[list[float]] = [[] for _ in spans]
    centres: list[list[float]] = [[] for _ in spans]
    previous = 0
    for t, (index, prob) in enumerate(zip(indices, probs, strict=True)):
        if index != 0 and index != previous:
            centre = (t + 0.5) * step
            k = min(
                range(len(spans)),
                key=lambda j: (
                    0
                    if spans[j][0] <= centre < spans[j][1]
                    else min(abs(centre - spans[j][0]), abs(centre - spans[j][1]))
                ),
            )
            texts[k].append(alphabet[index])
            confs[k].append(float(prob))
            centres[k].extend([centre] * len(alphabet[index]))
        previous = index
    return [
        _Reading("".join(chars).translate(_FULL_WIDTH), float(np.mean(c)) if c else 0.0, x)
        for chars, c, x in zip(texts, confs, centres, strict=True)
    ]
