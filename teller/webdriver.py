"""The counter's Textual driver under `teller serve`: Textual's web driver, except that the counter
closes when its input ends. textual-serve asks a counter to quit when its tab closes; a server that
is killed outright cannot ask, but its end closes every counter's standard input, and without this
each would go on running with no one to talk to."""

from __future__ import annotations

from textual import messages
from textual.drivers.web_driver import WebDriver


class CounterWebDriver(WebDriver):
    def run_input_thread(self) -> None:
        super().run_input_thread()
        if not self.exit_event.is_set():  # the input ended before the app began to close
            self._app.post_message(messages.ExitApp())
