"""The few phrases code generates rather than a template (objectives, role names),
in both languages: the mails use them, and the reply reader knows them as ours."""

from __future__ import annotations

_PHRASES = {
    "fr": {
        "review": "Faire le point sur vos progrès en {skill}",
        "review_host": "Faire le point sur les progrès de {names} en {skill}",
        "review_pair": "Avancer ensemble sur {skill}",
        "focus": "{name} souhaite travailler : {focus}",
        "goal": "{name} : {goal}",
        "curriculum": "{skill}, séance {n} sur {total} du programme : {topic}",
        "at": "'à' HH:mm",
        "stop": "Pour faire une pause, répondez PAUSE ; pour arrêter, répondez STOP.",
        "rating": "Note : {value}",
        "subject": "Questionnaire [{token}]",
        "yes": "OUI",
        "ask subject": "OUI, je confirme [{token}]",
        "roster problems": "Des lignes du fichier des participants sont à corriger",
        "roster more": ("… et {n} autres problèmes. En tout, par sorte de problème :"),
        "roster kind": "{count} × {kind}",
        "roster check": ("La commande « binome check --config {config} » les liste tous, "
                         "ligne par ligne."),
        "waitlist": "Vous êtes sur la liste d'attente",
        "series declined": "Une série de séances a été refusée",
        "declined series": ("{who} a refusé toutes les séances à venir avec {others} "
                            "({skills}). Le binôme est en pause : plus aucun e-mail ne part "
                            "pour lui."),
        "declined next": ("Il reprendra de lui-même si la personne accepte à nouveau "
                          "l'invitation ; pour y mettre fin, retirez-la du fichier des "
                          "participants ou demandez-lui de répondre STOP."),
        "waitlist mentoring": ("Nous n'avons pas encore trouvé de mentor disponible pour ce que "
                               "vous souhaitez apprendre."),
        "waitlist pair": ("Nous n'avons pas encore trouvé de binôme dont les compétences "
                          "complètent les vôtres."),
        "waitlist next": ("Dès qu'une personne qui convient rejoint le programme ou se libère, "
                          "nous vous mettons en relation et vous recevrez une invitation. "
                          "Vous n'avez rien à faire."),
        "mentor": "mentor",
        "mentee": "mentoré·e",
        "pair": "binôme",
        "workshop": "atelier",
    },
    "en": {
        "review": "Review your progress in {skill}",
        "review_host": "Review {names}'s progress in {skill}",
        "review_pair": "Make progress together on {skill}",
        "focus": "{name} wants to work on: {focus}",
        "goal": "{name}: {goal}",
        "curriculum": "{skill}, session {n} of {total} of the curriculum: {topic}",
        "at": "'at' HH:mm",
        "stop": "To pause, reply PAUSE; to stop, reply STOP.",
        "rating": "Rating: {value}",
        "subject": "Questionnaire [{token}]",
        "yes": "YES",
        "ask subject": "YES, I confirm [{token}]",
        "roster problems": "Some rows of the roster need fixing",
        "roster more": "… and {n} more problems. In all, by kind of problem:",
        "roster kind": "{count} × {kind}",
        "roster check": "The command `binome check --config {config}` lists them all, row by row.",
        "waitlist": "You are on the waiting list",
        "series declined": "A series of sessions was declined",
        "declined series": ("{who} declined every coming session with {others} ({skills}). "
                            "The pairing is paused: no more email goes out for it."),
        "declined next": ("It resumes by itself if they accept the invitation again; to end "
                          "it, remove them from the roster or ask them to reply STOP."),
        "waitlist mentoring": ("We have not yet found a mentor with room for what you want "
                               "to learn."),
        "waitlist pair": "We have not yet found a learning partner whose skills match yours.",
        "waitlist next": ("As soon as someone suitable joins the programme or has room, we will "
                          "put you in touch and you will receive an invitation. There is "
                          "nothing you need to do."),
        "mentor": "mentor",
        "mentee": "mentee",
        "pair": "learning partner",
        "workshop": "workshop",
    },
}


def phrases(language: str) -> dict[str, str]:
    """The generated phrases in `language` (English for anything but French)."""
    return _PHRASES["fr" if language == "fr" else "en"]
