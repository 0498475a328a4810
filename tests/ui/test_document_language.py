"""Printed documents speak the workstation's language, whoever is logged in."""

from __future__ import annotations

from app.services.printing import jobs
from app.ui.printing.actions import document_language, print_queue


def test_documents_follow_the_workstation_language(context):
    assert document_language(context) == "en"
    context.settings.update(language="pl")
    assert document_language(context) == "pl"
    context.settings.update(language="fr")  # not a Stockfloor language: English
    assert document_language(context) == "en"


def test_a_print_job_records_the_language_it_prints_in(qtbot, context, warehouse, monkeypatch):
    from app.ui.printing.actions import print_action

    context.settings.update(language="de")
    submitted = []
    queue = print_queue(context.bridge)
    monkeypatch.setattr(type(queue), "submit", lambda self, what, selection, **kw: submitted.append(selection))
    print_action(context, "putaway_list", source="DOCK-1")
    assert submitted == [{"source": "DOCK-1", "language": "de"}]
    assert "putaway_list" in jobs.PRINTABLES
