"""Medians and spreads of repeated measurements."""
import statistics


class Sample:
    """Repeated measurements of one figure, in its unit (seconds, ms, MiB...)."""

    def __init__(self, values):
        self.values = list(values)

    @property
    def median(self):
        return statistics.median(self.values)

    @property
    def spread(self):
        """Half the range around the median, as a fraction of it: 0.05 means +-5 %."""
        if len(self.values) < 2 or self.median == 0:
            return 0.0
        return (max(self.values) - min(self.values)) / 2 / self.median

    def __bool__(self):
        return bool(self.values)
