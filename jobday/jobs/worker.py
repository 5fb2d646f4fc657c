"""Entry point of the job worker.

``python -m jobday.jobs.worker --workers 2`` (the same options as huey's ``huey_consumer``)
runs the consumer with the app's logging: JSON lines like the web processes, unless the app
logs as text. ``huey_consumer jobday.jobs.worker.huey`` works too, but gives huey's own lines
a text handler of its own besides the app's.
"""

import logging

from huey.consumer_options import ConsumerConfig, OptionParserHandler

from jobday import create_app
from jobday.logs import JsonFormatter

app = create_app()
huey = app.extensions["jobday.huey"]


def main(argv: list[str] | None = None) -> None:
    options, _args = OptionParserHandler().get_option_parser().parse_args(argv)
    config = ConsumerConfig(**{key: value for key, value in vars(options).items() if value is not None})
    config.validate()
    huey_logger = logging.getLogger("huey")
    if any(isinstance(handler.formatter, JsonFormatter) for handler in logging.getLogger().handlers):
        huey_logger.setLevel(config.loglevel)  # its lines reach the JSON handler on the root logger
    else:
        config.setup_logger(huey_logger)
    huey.create_consumer(**config.values).run()


if __name__ == "__main__":
    main()
