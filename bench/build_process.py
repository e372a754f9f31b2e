"""The entry point of one build process (`bench.build`), importable before Django is set up."""


def run(numbers, seed, done):
    import django

    django.setup()
    from .build import worker_run

    def published():
        with done.get_lock():
            done.value += 1

    worker_run(numbers, seed=seed, on_published=published, wait_for_links=True)
