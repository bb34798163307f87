"""WAV files as recorders write them: 8-, 16-, 24- and 32-bit PCM, 32- and 64-bit float, and the
WAVE_FORMAT_EXTENSIBLE header (format 65534) that many tools write for them.

Python's ``wave`` module reads only plain integer PCM, and before Python 3.12 not the extensible
header, so a 32-bit float file from Audacity or sox, or `arecord`'s default 8-bit file, was refused
as "not a WAV sound file". This reads the RIFF chunks itself (numpy only, no device library) and
gives float samples in -1..1, one column per channel. Compressed WAV (A-law, mu-law, ADPCM) is
refused with its name.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

import numpy as np

PCM, FLOAT, EXTENSIBLE = 1, 3, 0xFFFE
COMPRESSED = {2: "ADPCM", 6: "A-law", 7: "mu-law", 0x11: "IMA ADPCM", 0x55: "MP3"}


class WavFormatError(ValueError):
    """Not a WAV file this can read; the message says why in plain words."""


@dataclass(frozen=True)
class WavAudio:
    """The samples (frames x channels, float64 in -1..1), the rate and the original sample width."""

    samples: np.ndarray
    rate: int
    bits: int
    is_float: bool


def parse_wav(data: bytes) -> WavAudio:
    """The audio of a whole WAV file's bytes, or WavFormatError."""
    if len(data) < 12:
        raise WavFormatError("it ends before a WAV header is complete")
    if data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        raise WavFormatError("it does not start with a RIFF WAVE header")
    fmt: bytes | None = None
    pos = 12
    while pos + 8 <= len(data):
        chunk, size = data[pos : pos + 4], struct.unpack_from("<I", data, pos + 4)[0]
        body = data[pos + 8 : pos + 8 + size]  # a recorder cut off while writing: what is there
        if chunk == b"fmt ":
            fmt = body
        elif chunk == b"data":
            if fmt is None:
                raise WavFormatError("its sound data comes before the format is given")
            return _decode(fmt, body)
        pos += 8 + size + (size & 1)  # chunks are padded to an even length
    raise WavFormatError("it has no format" if fmt is None else "it has no sound data")


def _decode(fmt: bytes, body: bytes) -> WavAudio:
    if len(fmt) < 16:
        raise WavFormatError("its format chunk is too short")
    code, channels, rate, _, _, bits = struct.unpack_from("<HHIIHH", fmt)
    if code == EXTENSIBLE:
        if len(fmt) < 26:
            raise WavFormatError("its extensible format chunk is too short")
        code = struct.unpack_from("<H", fmt, 24)[0]  # the first two bytes of the sub-format GUID
    if code in COMPRESSED:
        raise WavFormatError(f"it is compressed ({COMPRESSED[code]}); save it as PCM WAV")
    if code not in (PCM, FLOAT):
        raise WavFormatError(f"its sample format {code} is not PCM or float")
    if channels < 1:
        raise WavFormatError("it has no channels")
    width = bits // 8
    if bits % 8 or (code == PCM and width not in (1, 2, 3, 4)) or (code == FLOAT and width not in (4, 8)):
        raise WavFormatError(f"{bits}-bit {'float' if code == FLOAT else 'PCM'} samples are not supported")
    frames = len(body) // (width * channels)
    raw = np.frombuffer(body[: frames * width * channels], dtype=np.uint8)
    if code == FLOAT:
        x = raw.view("<f4" if width == 4 else "<f8").astype(np.float64)
        x = np.clip(np.nan_to_num(x), -1.0, 1.0)
    elif width == 1:
        x = (raw.astype(np.float64) - 128.0) / 128.0  # 8-bit WAV is unsigned
    elif width == 3:
        b = raw.reshape(-1, 3).astype(np.int32)
        x = ((b[:, 0] << 8 | b[:, 1] << 16 | b[:, 2] << 24) >> 8).astype(np.float64) / 8388608.0
    else:
        x = raw.view("<i2" if width == 2 else "<i4").astype(np.float64) / float(1 << (bits - 1))
    return WavAudio(x.reshape(frames, channels), rate, bits, code == FLOAT)
