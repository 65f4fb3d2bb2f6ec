"""OCR with RapidOCR (PP-OCR models run by onnxruntime, offline from the wheel's models).

The engine is created lazily, once per process, on first use (never at import time): loading
the models costs memory and time that a function instance which only sorts files must not pay.

Settings, chosen for speed on one core at equal accuracy on the receipt corpora:
- onnxruntime intra-op and inter-op threads = 1 (`OCR_THREADS` env var overrides), so one
  extraction uses one core and instances scale by concurrency instead;
- no angle classifier (upright text after EXIF orientation; it cost ~0.4 s per receipt);
- recognition batch of 1: batches pad every crop to the widest, which costs more than it saves.
"""

from __future__ import annotations

import os
import threading

import numpy as np
from PIL import Image

from .layout import Box

# Detection resizes the page so that its longer side is at most this; a receipt line stays
# ~15 px tall, enough for the detector, while the detector's cost stays ~0.2 s.
DET_MAX_SIDE = 1600
# The longest side we hand to OCR at all; larger photos are shrunk first (recognition works
# on crops rescaled to 48 px height, so more pixels buy nothing).
OCR_MAX_SIDE = 2400

_engine = None
_lock = threading.Lock()


def _get_engine():
    global _engine
    if _engine is None:
        with _lock:
            if _engine is None:
                from rapidocr import RapidOCR

                threads = int(os.environ.get("OCR_THREADS", "1"))
                _engine = RapidOCR(
                    params={
                        "Global.log_level": "error",
                        "Global.use_cls": False,
                        "Global.max_side_len": OCR_MAX_SIDE,
                        "Det.limit_type": "max",
                        "Det.limit_side_len": DET_MAX_SIDE,
                        "Rec.rec_batch_num": 1,
                        "EngineConfig.onnxruntime.intra_op_num_threads": threads,
                        "EngineConfig.onnxruntime.inter_op_num_threads": threads,
                    }
                )
    return _engine


def ocr_image(img: Image.Image) -> list[Box]:
    """Text boxes found in an RGB image, in image pixel coordinates."""
    if max(img.size) > OCR_MAX_SIDE:
        img = img.copy()
        img.thumbnail((OCR_MAX_SIDE, OCR_MAX_SIDE), Image.Resampling.LANCZOS)
    array = np.asarray(img.convert("RGB"))[:, :, ::-1].copy()  # RGB -> BGR, as cv2 expects
    result = _get_engine()(array)
    boxes: list[Box] = []
    if result.boxes is None or result.txts is None:
        return boxes
    for quad, text, score in zip(result.boxes, result.txts, result.scores, strict=False):
        text = str(text).strip()
        if not text:
            continue
        xs = [float(p[0]) for p in quad]
        ys = [float(p[1]) for p in quad]
        boxes.append(Box(text, min(xs), min(ys), max(xs), max(ys), float(score)))
    return boxes
