using System.Text;
using Spectre.Console.Rendering;

namespace Dstack.Cli.Terminal;

/// <summary>
/// A plain-text table as `status`, `artifacts` and `run --dry-run` print it: a header line, then a line per row; each
/// column as wide as its widest cell (in terminal cells, so CJK text and emoji line up) and two blanks between columns;
/// never wrapped, no trailing blanks, so it reads the same on a terminal, in a pipe and in a test.
/// Written here rather than through a layout library: it is on the path of every `dstack status`, and a general
/// renderer's set-up cost more than the table itself.
/// </summary>
public sealed class TextTable
{
    private const string Gap = "  ";
    private readonly string[] _headers;
    private readonly bool[] _rightAligned;
    private readonly List<string[]> _rows = [];

    public TextTable(params string[] headers)
    {
        _headers = headers;
        _rightAligned = new bool[headers.Length];
    }

    /// <summary>Right-aligns the named columns (sizes and counts).</summary>
    public TextTable AlignRight(params string[] headers)
    {
        foreach (var header in headers)
        {
            var column = Array.IndexOf(_headers, header);
            if (column < 0) throw new ArgumentException($"no column {header} in this table", nameof(headers));
            _rightAligned[column] = true;
        }
        return this;
    }

    /// <summary>
    /// A row, a cell per column. A control character inside a cell (a line break, a tab, an escape sequence's ESC) or a
    /// Unicode line separator is shown as a blank: the row stays on one line and nothing reaches the terminal as a command.
    /// </summary>
    public void AddRow(params string[] cells)
    {
        if (cells.Length != _headers.Length) throw new ArgumentException($"a row of {cells.Length} cells in a table of {_headers.Length} columns", nameof(cells));
        _rows.Add(Array.ConvertAll(cells, OneLine));
    }

    public void WriteTo(TextWriter output)
    {
        var widths = new int[_headers.Length];
        foreach (var row in _rows.Prepend(_headers))
        {
            for (var i = 0; i < row.Length; i++) widths[i] = Math.Max(widths[i], CellWidth(row[i]));
        }
        var line = new StringBuilder();
        foreach (var row in _rows.Prepend(_headers))
        {
            line.Clear();
            for (var i = 0; i < row.Length; i++)
            {
                var padding = new string(' ', widths[i] - CellWidth(row[i]));
                line.Append(_rightAligned[i] ? padding + row[i] : row[i] + padding);
                if (i < row.Length - 1) line.Append(Gap);
            }
            var text = line.ToString().TrimEnd();
            if (text.Length > 0) output.Write(text + "\n");
        }
    }

    /// <summary>How many terminal cells the text takes: two for a wide character, none for a combining mark (Spectre's measure).</summary>
    public static int CellWidth(string text) =>
        text.AsSpan().ContainsAnyExceptInRange(' ', '~') ? new Segment(text).CellCount() : text.Length;

    private static string OneLine(string cell)
    {
        if (!cell.Any(IsLineBreaking)) return cell;
        var text = cell.Replace("\r\n", "\n", StringComparison.Ordinal).ToCharArray();
        for (var i = 0; i < text.Length; i++) if (IsLineBreaking(text[i])) text[i] = ' ';
        return new string(text);
    }

    private static bool IsLineBreaking(char c) => char.IsControl(c) || c is '\u2028' or '\u2029';
}
