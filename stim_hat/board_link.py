"""Wires between a driving process and a simulated board in another process (loopback socket).

gpiozero's mock pins live inside one process, so a test that kills the driving process must keep
the board somewhere else. The driving process uses ``link_pins_to_socket``: every change of its
enable, amplitude and heartbeat pins is sent as a line ``name level``; the board's output-active
line comes back the same way. The board process runs ``BoardServer``, which feeds those lines to
a BoardSim. When the driving process dies, nothing more arrives: exactly what a real board sees
when its Pi hangs or crashes, and its heartbeat watchdog cuts the output.
"""

from __future__ import annotations

import socket
import threading
from typing import Any

from stim_hat.board_sim import BoardSim, SimFactory, SimMCP3008
from stim_hat.settings import HatSettings


def _names(hat: HatSettings) -> dict[str, str]:
    return {
        f"GPIO{hat.left_enable_pin}": "left",
        f"GPIO{hat.right_enable_pin}": "right",
        f"GPIO{hat.amplitude_pin}": "amplitude",
        f"GPIO{hat.heartbeat_pin}": "heartbeat",
    }


class BoardServer:
    """The board's side: accepts one driving process and feeds its lines to ``board``."""

    def __init__(self, board: BoardSim) -> None:
        self.board = board
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.conn: socket.socket | None = None
        self.send_errors: list[str] = []
        self._thread = threading.Thread(target=self._serve, name="board-link", daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        conn, _ = self.listener.accept()
        self.conn = conn
        self.board.on_output.append(self._send_feedback)
        self._send_feedback(self.board.active)
        with conn, conn.makefile("r", encoding="ascii") as lines:
            for line in lines:
                name, level = line.split()
                self.board.feed(name, float(level))

    def _send_feedback(self, active: bool) -> None:
        if self.conn is not None:
            try:
                self.conn.sendall(f"feedback {int(active)}\n".encode("ascii"))
            except OSError as exc:
                # The driving process is gone; the board's own state is what matters. Keep a note.
                self.send_errors.append(str(exc))

    def close(self) -> None:
        """Stop listening (the board keeps its state)."""
        self.listener.close()
        if self.conn is not None:
            self.conn.close()


def link_pins_to_socket(hat: HatSettings, port: int) -> tuple[SimFactory, socket.socket]:
    """The driving process's pins: outputs are sent to the board, the board's feedback comes back."""
    factory = SimFactory()
    adc = SimMCP3008(factory)
    adc.levels[hat.contact_adc_channel] = 0.9
    feedback = factory.pin(hat.output_active_pin)
    factory.pin(hat.estop_pin).drive_high()
    conn = socket.create_connection(("127.0.0.1", port))
    names = _names(hat)
    lock = threading.Lock()

    def send(pin: Any, value: Any) -> None:
        name = names.get(pin.info.name)
        if name is not None:
            with lock:
                conn.sendall(f"{name} {float(value)}\n".encode("ascii"))

    def receive() -> None:
        with conn.makefile("r", encoding="ascii") as lines:
            for line in lines:
                _, level = line.split()
                if int(level):
                    feedback.drive_high()
                else:
                    feedback.drive_low()

    factory.listeners.append(send)
    threading.Thread(target=receive, name="board-feedback", daemon=True).start()
    return factory, conn
