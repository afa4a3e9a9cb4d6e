"""racebot: race-weekend timetables, reminders, results and standings for fans."""


def installed_version() -> str:
    """The installed package's version (pyproject.toml), or "unknown" from a bare checkout."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("racebot")
    except PackageNotFoundError:
        return "unknown (not installed)"
