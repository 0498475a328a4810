"""The floor dialogue: one engine runs every floor screen's steps, questions and commands."""

from app.ui.dialogue.engine import Dialogue, Scan
from app.ui.dialogue.questions import MAX_QUANTITY, Answer, Question, Refused
from app.ui.dialogue.table import Command, Step

__all__ = ["MAX_QUANTITY", "Answer", "Command", "Dialogue", "Question", "Refused", "Scan", "Step"]
