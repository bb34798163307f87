"""WAV files as recorders and tools write them (kiosk/voice/wav_file.py), made by sox from test speech."""

from __future__ import annotations

import struct
import subprocess

import numpy as np
import pytest

from kiosk.voice.audio import AudioFileError, load_wav, read_wav
from kiosk.voice.wav_file import EXTENSIBLE, WavFormatError, parse_wav

# sox options -> what the file is (sox writes the extensible header for more than 16 bits or 2 channels)
FORMATS = {
    "8-bit unsigned (arecord's default)": ["-b", "8", "-e", "unsigned-integer"],
    "24-bit PCM": ["-b", "24", "-e", "signed-integer"],
    "32-bit PCM": ["-b", "32", "-e", "signed-integer"],
    "32-bit float (Audacity's default)": ["-b", "32", "-e", "floating-point"],
    "64-bit float": ["-b", "64", "-e", "floating-point"],
    "16-bit stereo": ["-b", "16", "-c", "2"],
    "24-bit, 4 channels": ["-b", "24", "-c", "4"],
}


def sox(source, target, *options, effects=()):
    """``source`` written as ``target`` in the format ``options`` give (no dither: the test compares samples)."""
    subprocess.run(["sox", "-D", str(source), *options, str(target), *effects], check=True, capture_output=True)
    return target


@pytest.fixture(scope="module")
def stop_wav(speech):
    return speech("stop")


@pytest.mark.parametrize("kind", FORMATS)
def test_every_pcm_and_float_format_gives_the_same_samples(stop_wav, tmp_path, kind):
    converted = sox(stop_wav, tmp_path / "x.wav", *FORMATS[kind])
    original, again = read_wav(stop_wav).astype(float), read_wav(converted).astype(float)
    assert len(again) == len(original)
    step = 256 if "8-bit" in kind else 2  # 8-bit keeps 1/256 of 16-bit's steps
    assert np.max(np.abs(again - original)) <= step, kind


def test_sox_wrote_the_headers_that_the_wave_module_refused(stop_wav, tmp_path):
    def format_code(kind):
        data = sox(stop_wav, tmp_path / "x.wav", *FORMATS[kind]).read_bytes()
        return struct.unpack_from("<H", data, data.index(b"fmt ") + 8)[0]

    assert format_code("24-bit PCM") == EXTENSIBLE  # wave.open before Python 3.12: "unknown format: 65534"
    assert format_code("32-bit float (Audacity's default)") == 3  # wave.open: "unknown format: 3"


@pytest.mark.parametrize("kind", ["32-bit float (Audacity's default)", "24-bit, 4 channels"])
def test_a_converted_command_is_still_heard(stop_wav, tmp_path, capsys, isolated_home, kind):
    from kiosk.cli import main

    converted = sox(stop_wav, tmp_path / "x.wav", *FORMATS[kind], effects=("rate", "48000"))
    assert load_wav(converted).rate == 48000
    assert main(["hear", str(converted)]) == 0
    assert "-> stop" in capsys.readouterr().out


def test_compressed_wav_is_named_and_refused(stop_wav, tmp_path):
    alaw = sox(stop_wav, tmp_path / "alaw.wav", "-e", "a-law")
    with pytest.raises(
        AudioFileError, match=r"alaw.wav: not a WAV sound file we can read \(it is compressed \(A-law\)"
    ):
        load_wav(alaw)


def test_a_recording_cut_off_while_it_was_written_gives_what_is_there(stop_wav, tmp_path):
    whole = stop_wav.read_bytes()
    cut = tmp_path / "cut.wav"
    cut.write_bytes(whole[: len(whole) // 2 + 1])  # the data chunk's size still says the whole length
    half = read_wav(cut)
    assert 0 < len(half) < len(read_wav(stop_wav))
    assert np.array_equal(half, read_wav(stop_wav)[: len(half)])


def wav(*chunks: tuple[bytes, bytes]) -> bytes:
    body = b"".join(name + struct.pack("<I", len(data)) + data + b"\0" * (len(data) & 1) for name, data in chunks)
    return b"RIFF" + struct.pack("<I", 4 + len(body)) + b"WAVE" + body


PCM16 = struct.pack("<HHIIHH", 1, 1, 16000, 32000, 2, 16)


@pytest.mark.parametrize(
    ("data", "why"),
    [
        (b"RIF", "it ends before a WAV header is complete"),
        (b"ID3\x04" + b"\0" * 20, "does not start with a RIFF WAVE header"),
        (wav((b"data", b"\0\0")), "sound data comes before the format"),
        (wav((b"fmt ", PCM16)), "it has no sound data"),
        (wav((b"LIST", b"abc")), "it has no format"),
        (wav((b"fmt ", PCM16[:10]), (b"data", b"")), "format chunk is too short"),
        (wav((b"fmt ", struct.pack("<HHIIHH", 1, 1, 16000, 32000, 2, 12)), (b"data", b"")), "12-bit PCM"),
        (wav((b"fmt ", struct.pack("<HHIIHH", 0x55, 1, 16000, 32000, 2, 16)), (b"data", b"")), "compressed (MP3)"),
        (wav((b"fmt ", struct.pack("<HHIIHH", 9, 1, 16000, 32000, 2, 16)), (b"data", b"")), "format 9 is not PCM"),
    ],
)
def test_broken_headers_are_explained(data, why):
    with pytest.raises(WavFormatError, match=why.replace("(", r"\(").replace(")", r"\)")):
        parse_wav(data)


def test_chunks_before_the_format_and_odd_sizes_are_stepped_over():
    samples = np.array([0, 1000, -1000, 32767, -32768], dtype="<i2")
    audio = parse_wav(wav((b"LIST", b"odd"), (b"fmt ", PCM16), (b"data", samples.tobytes())))
    assert audio.rate == 16000 and audio.bits == 16 and not audio.is_float
    assert np.array_equal(np.round(audio.samples[:, 0] * 32768), samples)
