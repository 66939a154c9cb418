"""Two interviews on one answer file: the second is refused at once, with
the reason, and the first keeps every answer."""

from __future__ import annotations

import re

import pexpect
from pty_driver import ENTER, spawn

from advisor.io.lock import held, lock_path


def test_a_second_session_on_the_same_file_is_refused(tmp_path):
    first = spawn(tmp_path, "diagnostico", "-o", "mismo.yaml")
    first.expect("¿Cuál es el nombre")
    second = spawn(tmp_path, "diagnostico", "-o", "mismo.yaml")
    second.expect(pexpect.EOF)
    second.close()
    assert second.exitstatus == 2
    assert "otra sesión de «advisor ask» está respondiendo en este archivo" in second.before
    first.send("Villa Única" + ENTER)
    first.expect(re.escape("¿En qué país está?"))
    assert "Villa Única" in (tmp_path / "mismo.yaml").read_text(encoding="utf-8")
    first.sendcontrol("c")
    first.expect(pexpect.EOF)
    first.close()
    assert first.exitstatus == 130
    # The lock went with the process: the next session takes it (held refuses
    # as the second session above was refused; resuming in the terminal is
    # test_interview_pty's).
    with held(tmp_path / "mismo.yaml"):
        assert lock_path(tmp_path / "mismo.yaml").exists()
    assert not lock_path(tmp_path / "mismo.yaml").exists()
