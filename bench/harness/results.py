"""One measured figure of one tool, and the collection the report is made of."""
from dataclasses import dataclass

from stats import Sample

OURS = "dstack"


@dataclass
class Figure:
    workload: str
    size: str
    metric: str
    unit: str
    tool: str
    sample: Sample
    lower_is_better: bool = True


class Results:
    def __init__(self):
        self.figures = []
        self.notes = []

    def add(self, workload, size, metric, unit, tool, values, lower_is_better=True):
        self.figures.append(Figure(workload, str(size), metric, unit, tool, Sample(values), lower_is_better))

    def note(self, text):
        self.notes.append(text)

    def tools(self):
        seen = []
        for figure in self.figures:
            if figure.tool not in seen:
                seen.append(figure.tool)
        return seen

    def rows(self):
        """(workload, size, metric, unit) in first-measured order, each with its figures by tool."""
        order = []
        by_row = {}
        for figure in self.figures:
            key = (figure.workload, figure.size, figure.metric, figure.unit)
            if key not in by_row:
                order.append(key)
                by_row[key] = {}
            by_row[key][figure.tool] = figure
        return [(key, by_row[key]) for key in order]
