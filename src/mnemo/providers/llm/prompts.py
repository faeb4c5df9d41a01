"""The instructions every LLM adapter sends: the same rules the offline extractor follows."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from mnemo.models.extraction import ExtractionContext

RULES = """\
You process one conversation that the user's wearable recorded. "User" lines are the user
({name}); other speakers are named or numbered. Agents' lines count like anyone else's.

Action items: concrete next steps the USER owns: the user commits ("I'll send it tonight"),
agrees to a request ("can you call the plumber?" / "sure"), or asks to be reminded. Not: another
person's task the user does not own, hypotheticals, wishes without commitment ("we should get
coffee sometime"), things already done. Give due_at when a day is named, resolved in the user's
time zone; null when no time was given.

Events: future happenings involving the user that are confirmed and tied to a specific date AND
clock time (an appointment, a meeting, a flight, a dinner booking). Not: past events, maybes,
other people's plans that do not involve the user, recurring habits.

Memories: at most four durable facts about the user that would still matter in a month: health,
relationships, work, preferences, personal details, habits. Stated by the user, or stated to the
user and confirmed. Not: small talk, the weather, generic knowledge, one-off moods, facts about
strangers, anything the user's existing memories already say. Write each as a short sentence
about {name}.

Discard: a conversation with nothing worth keeping (greetings only, noise transcribed as
fragments, a TV playing, one-line exchanges with no content).
"""


def context_block(context: ExtractionContext) -> str:
    zone = ZoneInfo(context.time_zone)
    started = context.started_at.astimezone(zone)
    known = "\n".join(f"- {memory}" for memory in context.existing_memories[:200]) or "(none yet)"
    return (
        f"User's name: {context.user_name}\nUser's time zone: {context.time_zone}\n"
        f"The conversation started: {started.isoformat()} ({started.strftime('%A')})\n"
        f"Now: {context.now.astimezone(zone).isoformat()}\n"
        f"The user's existing memories:\n{known}"
    )


TASKS = {
    "summary": "Summarize the conversation: a title of at most 10 words, an overview, an emoji, a category, "
    "and whether to discard it.",
    "tasks": "List the user's action items and the confirmed events.",
    "memories": "List new memories about the user (none that the existing memories already say).",
}


def system_prompt(context: ExtractionContext) -> str:
    return RULES.format(name=context.user_name) + "\n" + context_block(context)


def user_prompt(task: str, transcript: str) -> str:
    return f"{TASKS[task]} Answer with JSON only.\n\nTranscript:\n{transcript}"
