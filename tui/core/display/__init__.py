"""Data made into text for a person, without Textual: the one cleaner and the one size
formatter. The CLI commands use them directly; `tui.text` builds the TUI's `Content`
and `Text` objects on top of `cleaning.clean`. Both modules import only the standard
library's builtins, so `meetdeck lookup` can use them on its fast path.
"""
