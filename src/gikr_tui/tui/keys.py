"""Keys in the order they were typed, each seeing what the one before it did.

Textual hands a key to the widget that has the focus when the key arrives,
and runs the app's bindings only when the key comes back up from that
widget.  Keys that arrive in one burst (over SSH they bunch up, and tmux
`send-keys` sends them together) are all handed out before the first one's
binding has run: `Enter 3 1 Enter` on a grid cell sent `3` and `1` to the
grid before Enter had opened its editor, so they switched panes instead of
typing 31; `/r05` left the filter empty because `r`, `0` and `5` went to
the file list.

So a key is handed on only once the key before it is done: a marker
message follows each key into the widget that received it and up the same
path, and when it is back the key's own work is done.  A second round
follows the messages that key's binding posted (a tree's NodeSelected, which
moves the focus), and the next key goes out after the focus changes they
asked for.  A key that opened a screen (the command palette, a question)
waits for that screen to have mounted and focused its input.  A key typed
when nothing is in flight goes out at once, so typing by hand costs nothing.

A key's effects reach the screen in one frame, drawn as soon as its work
is done: the screen does not update while a key is in flight.  Textual
draws a frame whenever the screen is idle, and a key's work goes through
several idle moments (the key, the cursor's message, the pane it opens);
after a frame its update timer skips one to two periods (at 60 frames a
second, 17 to 33 ms) before it draws again, so the frame with everything
the key did came up to 33 ms after the work was done.  Held back meanwhile
(`App.batch_update`'s counter), the frame is drawn at once when the key is
done, or when the last of the keys typed ahead is.  A key slow to come back
lets the screen update after BATCH_LIMIT seconds.

The app may also hold the keys for a moment (`hold_keys()`): while the
report a key opened is read from the cache, the keys after it wait, so
`] n` finds the next failing cell of the report `]` opened.
"""

from __future__ import annotations

from collections import deque
from functools import partial
from time import monotonic

from textual import events
from textual.message import Message
from textual.timer import Timer
from textual.widget import Widget

# A marker that never comes back (its widget was removed on the way) must
# not hold the keyboard.  Every CHECK_EVERY seconds the widget it went to is
# looked at: gone, the next key goes out; still there, the key is only slow
# (a busy machine), and waiting keeps the order, up to GIVE_UP seconds.
CHECK_EVERY = 1.0
GIVE_UP = 10.0
ROUNDS = 2
# The longest a key in flight keeps the screen from updating.
BATCH_LIMIT = 0.1
# A hold the app forgets to lift lets the keys go after this many seconds.
HOLD_LIMIT = 3.0


class KeyMarker(Message):
    """Follows a key through the widgets that handle it."""

    def __init__(self, token: int, round: int, target: Widget) -> None:
        super().__init__()
        self.token = token
        self.round = round
        self.target = target


class OrderedKeys:
    """Mixin for an App (before App in its bases): keys handled strictly one after the other."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._typeahead: deque[events.Key] = deque()
        self._key_token = 0
        self._key_busy = False
        self._key_watchdog: Timer | None = None
        self._key_screen: object = None  # the screen the key in flight was typed on
        self._screen_marked = False
        self._marked: Widget | None = None  # where the marker in flight went
        self._key_sent_at = 0.0
        self._holds: set[object] = set()
        self._held: int | None = None  # the key whose release waits for the holds
        self._key_batch: Timer | None = None  # the screen waits for the key in flight (BATCH_LIMIT)

    def hold_keys(self, limit: float = HOLD_LIMIT):
        """Keys after the one in flight wait until the returned function is called (or `limit` seconds)."""
        hold = object()
        self._holds.add(hold)

        def release() -> None:
            if hold not in self._holds:
                return
            self._holds.discard(hold)
            if self._holds:
                return
            held, self._held = self._held, None
            if held is not None:
                self._release(held)
            elif not self._key_busy and self._typeahead:
                self._key_busy = True
                self.call_later(self._send_key, self._typeahead.popleft())

        self.set_timer(limit, release)
        return release

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and not event.is_forwarded:
            if self._key_busy or self._holds:
                self._typeahead.append(event)
            else:
                await self._send_key(event)
            return
        await super().on_event(event)

    async def _send_key(self, event: events.Key) -> None:
        self._key_busy = True
        self._key_token += 1
        token = self._key_token
        target = self.focused or self.screen
        self._key_screen, self._screen_marked, self._marked = self.screen, False, None
        self._key_sent_at = monotonic()
        if self._key_batch is None:
            self._begin_batch()
            self._key_batch = self.set_timer(BATCH_LIMIT, self._end_key_batch)
        self._key_watchdog = self.set_interval(CHECK_EVERY, partial(self._check_stuck, token))
        await super().on_event(event)  # a priority binding, or forwarded to the focused widget
        if event.is_forwarded and target.is_attached:
            self._mark(target, 1)
        else:
            self._settled(token)

    def _mark(self, target: Widget, round: int) -> None:
        self._marked = target
        target.post_message(KeyMarker(self._key_token, round, target))

    def _check_stuck(self, token: int) -> None:
        marked = self._marked
        gone = marked is not None and not marked.is_attached
        if gone or monotonic() - self._key_sent_at > GIVE_UP:
            self._release(token)

    def on_key_marker(self, message: KeyMarker) -> None:
        message.stop()
        if message.token != self._key_token:
            return  # a key the watchdog released meanwhile
        target = message.target
        if message.round < ROUNDS and target.is_attached:
            self._mark(target, message.round + 1)
        else:
            self._settled(message.token)

    def _settled(self, token: int) -> None:
        if not self.screen_stack:
            return  # the app has closed (a marker that came back as it did)
        screen = self.screen
        if screen is not self._key_screen and screen.focused is None and not self._screen_marked:
            # a screen the key opened: its mount and first focus are queued on it
            self._screen_marked = True
            self._mark(screen, ROUNDS)
            return
        # after the focus changes the key asked for (call_later, queued already)
        self.call_later(self._release, token)

    def _end_key_batch(self, draw: bool = False) -> None:
        batch, self._key_batch = self._key_batch, None
        if batch is None:
            return
        batch.stop()
        self._end_batch()
        if not self.screen_stack:
            return  # (none once the app has closed)
        if draw and not self._batch_count:
            # The frame now: the screen's update timer would draw it one to two periods after
            # the last frame (the badges', say), not when the key's work is done.
            self.screen._on_timer_update()
        else:
            self.screen.check_idle()  # (the screen's idle draws the frame: the app's is not enough)

    def _release(self, token: int) -> None:
        if token != self._key_token or not self._key_busy:
            return  # released already (by the watchdog, or the marker came back late)
        if not self._typeahead or self._holds:
            self._end_key_batch(draw=True)  # (keys typed ahead: one frame for them all, the last's)
        if self._holds:
            self._held = token  # the last hold to go releases it
            return
        if self._key_watchdog is not None:
            self._key_watchdog.stop()
            self._key_watchdog = None
        if self._typeahead:
            self.call_later(self._send_key, self._typeahead.popleft())  # still busy: order kept
        else:
            self._key_busy = False
