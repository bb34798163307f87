"""scripts/fetch-vosk-model: a pinned hash is checked, a wrong one refused, nothing half-installed."""

from __future__ import annotations

import functools
import hashlib
import http.server
import importlib.machinery
import importlib.util
import threading
import tomllib
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NAME = "vosk-model-tiny-xx-0.1"


def load_script():
    loader = importlib.machinery.SourceFileLoader("fetch_vosk_model", str(ROOT / "scripts" / "fetch-vosk-model"))
    spec = importlib.util.spec_from_loader("fetch_vosk_model", loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


@pytest.fixture
def served(tmp_path):
    """A local HTTP server with a small fake model zip; yields (base URL, the zip's SHA-256)."""
    www = tmp_path / "www"
    www.mkdir()
    with zipfile.ZipFile(www / f"{NAME}.zip", "w") as z:
        z.writestr(f"{NAME}/conf/model.conf", "--sample-frequency=16000\n")
        z.writestr(f"{NAME}/README", "fake model for the test\n")
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(www))
    handler.log_message = lambda *a: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", hashlib.sha256((www / f"{NAME}.zip").read_bytes()).hexdigest()
    server.shutdown()


def test_the_right_hash_installs_and_sets_the_model(tmp_path, served):
    fetch = load_script()
    url, digest = served
    settings = tmp_path / "settings.toml"
    settings.write_text('# mine\n[display]\nlanguage = "en"\n\n[voice]\nvosk_model = ""\nvolume = 0.8\n')
    target = fetch.install("xx", tmp_path / "vosk", settings, url, {"xx": (NAME, digest)})
    assert (target / "conf" / "model.conf").read_text().startswith("--sample-frequency")
    data = tomllib.loads(settings.read_text())
    assert data["voice"] == {"vosk_model": str(tmp_path / "vosk" / NAME), "volume": 0.8}
    assert settings.read_text().startswith("# mine\n"), "the other lines stay as they were"
    assert sorted(p.name for p in (tmp_path / "vosk").iterdir()) == [NAME], "no temporary files left"


def test_a_wrong_hash_is_refused_plainly_and_leaves_nothing(tmp_path, served, capsys):
    fetch = load_script()
    url, digest = served
    settings = tmp_path / "settings.toml"
    settings.write_text("[voice]\n")
    with pytest.raises(fetch.FetchError, match="not the expected file") as err:
        fetch.install("xx", tmp_path / "vosk", settings, url, {"xx": (NAME, "0" * 64)})
    assert digest in str(err.value) and "Nothing was installed" in str(err.value)
    assert list((tmp_path / "vosk").iterdir()) == []
    assert settings.read_text() == "[voice]\n"


def test_an_unpinned_model_is_refused_before_downloading(tmp_path):
    fetch = load_script()
    assert (
        fetch.main(["de", "--dest", str(tmp_path / "vosk"), "--no-settings", "--base-url", "http://127.0.0.1:9"]) == 1
    )
    assert not (tmp_path / "vosk").exists()


def test_the_command_line_says_why_in_one_line(tmp_path, served, capsys):
    fetch = load_script()
    url, _ = served
    code = fetch.main(["en", "--dest", str(tmp_path / "vosk"), "--no-settings", "--base-url", url])
    assert code == 1
    assert "fetch-vosk-model: Could not download" in capsys.readouterr().err  # the server has no English zip
    assert list((tmp_path / "vosk").iterdir()) == []


def test_a_broken_zip_leaves_no_partial_folder(tmp_path, served):
    fetch = load_script()
    url, _ = served
    bad = tmp_path / "www" / "bad-0.1.zip"
    bad.write_bytes(b"PK\x03\x04 not really a zip")
    digest = hashlib.sha256(bad.read_bytes()).hexdigest()
    with pytest.raises(fetch.FetchError, match="not a valid zip"):
        fetch.install("xx", tmp_path / "vosk", None, url, {"xx": ("bad-0.1", digest)})
    assert list((tmp_path / "vosk").iterdir()) == []


def test_settings_without_a_voice_section_get_one(tmp_path):
    fetch = load_script()
    settings = tmp_path / "s.toml"
    settings.write_text("[display]\nfps = 20\n")
    fetch.set_vosk_model(settings, Path("/opt/facecoach/vosk/m"))
    assert tomllib.loads(settings.read_text()) == {
        "display": {"fps": 20},
        "voice": {"vosk_model": "/opt/facecoach/vosk/m"},
    }


def test_the_pinned_table_has_only_real_looking_hashes():
    fetch = load_script()
    for name, digest in fetch.MODELS.values():
        assert name.startswith("vosk-model-")
        assert digest is None or (len(digest) == 64 and int(digest, 16) >= 0)
    assert fetch.MODELS["en"][1] == "30f26242c4eb449f948e42cb302dd7a686cb29a3423a8367f99ff41780942498"


@pytest.mark.parametrize(
    ("args", "says"),
    [(["--vosk-model"], "--vosk-model needs a language"), (["--vosk"], "unknown option: --vosk")],
)
def test_setup_refuses_a_vosk_option_it_cannot_use_before_installing_anything(args, says):
    import subprocess

    done = subprocess.run(["bash", str(ROOT / "scripts" / "setup.sh"), *args], capture_output=True, text=True)
    assert done.returncode == 2 and says in done.stderr
