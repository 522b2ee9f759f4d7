from django.apps import AppConfig


class SynthConfig(AppConfig):
    name = "ytcs.synth"
    label = "synth"

    def ready(self) -> None:
        from ytcs.synth.subcommands import register

        register()
