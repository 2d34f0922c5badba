"""A per-skill curriculum and resources from the settings shape each session's objectives."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from harness import HOUR, Run, sent_mail
from test_config import problems_of, write

from agent.core.errors import UserError
from agent.programme.settings import load_settings

# A table for Négociation, written with other case and accents than the roster's
# "Négociation": skills compare like the roster's.
NEGOCIATION = '''[skills."NEGOCIATION "]
curriculum = ["Préparer sa marge de manœuvre", "Répondre à une objection sur le prix"]
resources = ["https://example.org/negociation", "Fiche « Les 5 concessions » (intranet)"]
'''


def test_sessions_follow_the_curriculum_then_the_goals(make_programme: Any) -> None:
    programme = make_programme(edits={
        '[skills."Prise de parole"]\ncurriculum = []': '[skills."Prise de parole"]\n'
                                                      'curriculum = ["Le trac"]',
        '[skills."Excel"]': NEGOCIATION + '\n[skills."Excel"]'})
    run = Run(programme)
    run.tick()
    pairing, series = run.pairing("nadia@ex.fr"), run.series("nadia@ex.fr")
    third = series.occurrences()[2]
    run.until(third - HOUR, step=timedelta(hours=3))
    sent = sorted(sent_mail(run.local, f"mail/objectives/{pairing.id}/", to="nadia@ex.fr"),
                  key=lambda m: m.key)
    first, second, last = sent
    assert ("Négociation, séance 1 sur 2 du programme : Préparer sa marge de manœuvre"
            in first.text)
    assert ("Négociation, séance 2 sur 2 du programme : Répondre à une objection sur le prix"
            in second.text)
    assert "du programme" not in last.text  # past the curriculum: progress and goals
    assert "Faire le point sur vos progrès en Négociation" in last.text
    for mail in sent:
        assert "- Négociation : https://example.org/negociation" in mail.text
        assert "- Négociation : Fiche « Les 5 concessions » (intranet)" in mail.text
        assert ('<a href="https://example.org/negociation" style="color:#1e3a5f;">'
                in mail.html)
        assert "Fiche « Les 5 concessions » (intranet)</li>" in mail.html
    # The other pairing's skill has no table: its objectives are as before, no resources.
    other = sent_mail(run.local, "mail/objectives/", to="emma@ex.fr")
    assert other and all("Resources" not in m.text and "curriculum" not in m.text
                         for m in other)


def test_skill_tables_are_checked(tmp_path: Path) -> None:
    example = (Path(__file__).resolve().parents[2] / "config" / "example.toml").read_text(
        encoding="utf-8").replace('path = "roster.example.csv"', 'path = "roster.csv"')
    (tmp_path / "roster.csv").write_text("email;name;role\n", encoding="utf-8")
    typo = write(tmp_path, example.replace('[skills."Excel"]\n',
                                           '[skills."Excel"]\ncuriculum = []\n'))
    _, warnings = load_settings(typo)
    assert warnings == [f"{typo}: unknown key 'skills.\"Excel\".curiculum' (ignored; "
                        "did you mean 'curriculum'?)"]
    twice = write(tmp_path, example + '\n[skills."excel"]\nresources = ["x"]\n', "twice.toml")
    error = problems_of(twice)
    assert any('skills."excel"' in str(p) and 'the same skill as skills."Excel"' in str(p)
               for p in error.problems)
    wrong = write(tmp_path, example.replace('[skills."Excel"]\n',
                                            '[skills."Excel"]\nresources = "one link"\n'
                                            ).replace('resources = ["https://support', '# ["'),
                  "wrong.toml")
    with pytest.raises(UserError) as caught:
        load_settings(wrong)
    assert any("skills.Excel.resources" in str(p) for p in caught.value.problems)
