"""Workshops (talleres): a trainer (docente) runs a class whose participants
each answer their own assessment; joining, the trainer's pages and API, the
class's results, the projection for the room and the exports."""
