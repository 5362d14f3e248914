"""The counter's Textual driver under `teller serve`: Textual's web driver, except that the counter
closes when its input ends. textual-serve asks a counter to quit when its tab closes (and
teller.serve kills it STOP_GRACE seconds later if it has not); a server that is killed outright can
do neither, but its end closes every counter's standard input. Without this each counter would go
on running with no one to talk to; with it, the counter quits, and if it has not ended STOP_GRACE
seconds later (a store still opening in its worker thread keeps the process alive), it is ended
there and then. That loses nothing: each function is one transaction, and a transaction cut off
is rolled back by the store."""

from __future__ import annotations

import os
import threading

from textual import messages
from textual.drivers.web_driver import WebDriver

STOP_GRACE = 5.0  # seconds a counter has to end after it is asked to, before it is ended


class CounterWebDriver(WebDriver):
    def run_input_thread(self) -> None:
        super().run_input_thread()
        if self.exit_event.is_set():  # the app closed its input itself: it is already quitting
            return
        self._app.post_message(messages.ExitApp())
        timer = threading.Timer(STOP_GRACE, os._exit, args=(1,))
        timer.daemon = True
        timer.start()
