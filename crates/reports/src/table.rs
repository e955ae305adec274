//! The shared shapes of the reports that sum measures by several dimensions (reports 3–6): a
//! [`Breakdown`] (one line per dimension value, plus a total), the region a row is grouped under,
//! and a CSV made of sections (one `section` column, then the union of the sections' columns).

use redmud_domain::Region;
use rustc_hash::FxHashMap;
use serde::Serialize;

use crate::ReportError;
use crate::csv::Csv;

/// Additive measures summed per breakdown line.
pub trait Measures: Default + Clone + Serialize {
    /// Adds `other` into `self` (exactly; an error on overflow).
    fn add(&mut self, other: &Self) -> Result<(), ReportError>;
    /// The CSV column names, in order.
    fn columns() -> Vec<&'static str>;
    /// The CSV values, in the order of [`Measures::columns`] (counts, fen, kg: integers).
    fn values(&self) -> Vec<u64>;
}

/// One line of a breakdown: a dimension (`by`), its value and the measures summed over it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BreakdownLine<M> {
    /// The dimension (`status`, `kind`, `region`, …).
    pub by: &'static str,
    /// The value's code (`approved`, `520100`, a year, an id).
    pub key: String,
    /// Its name (Chinese name, enterprise or project name; the key when it has none).
    pub name: String,
    /// The summed measures.
    #[serde(flatten)]
    pub measures: M,
}

/// Lines per (dimension, value), in the order the dimensions were declared, then by key.
#[derive(Debug, Clone)]
pub struct Breakdown<M> {
    dimensions: &'static [&'static str],
    /// Lines per dimension rank (the last slot for a dimension not declared), by key: hashed,
    /// because a report adds to thousands of lines (one per project) several times each, and
    /// a string key compared along a tree path costs more than hashing it once. Each holds its
    /// dimension, name and measures; the key moves into the line when
    /// [`Breakdown::finish`] orders them.
    lines: Vec<FxHashMap<String, (&'static str, String, M)>>,
    total: M,
}

impl<M: Measures> Breakdown<M> {
    /// An empty breakdown over `dimensions`.
    pub fn new(dimensions: &'static [&'static str]) -> Self {
        Self {
            dimensions,
            lines: (0..=dimensions.len())
                .map(|_| FxHashMap::default())
                .collect(),
            total: M::default(),
        }
    }

    /// Adds `measures` to the line (`by`, `key`). `by` must be one of the dimensions. The key
    /// and name are taken (moved when given owned, copied when borrowed) only when the line is
    /// new.
    pub fn add<K, N>(
        &mut self,
        by: &'static str,
        key: K,
        name: N,
        measures: &M,
    ) -> Result<(), ReportError>
    where
        K: AsRef<str> + Into<String>,
        N: Into<String>,
    {
        let rank = self
            .dimensions
            .iter()
            .position(|d| *d == by)
            .unwrap_or(self.dimensions.len());
        let lines = &mut self.lines[rank];
        if let Some((_, _, sum)) = lines.get_mut(key.as_ref()) {
            return sum.add(measures);
        }
        let mut sum = M::default();
        sum.add(measures)?;
        lines.insert(key.into(), (by, name.into(), sum));
        Ok(())
    }

    /// Adds `measures` to the total (once per counted item).
    pub fn add_total(&mut self, measures: &M) -> Result<(), ReportError> {
        self.total.add(measures)
    }

    /// The lines (by dimension in declared order, then by key) and the total.
    pub fn finish(self) -> (Vec<BreakdownLine<M>>, M) {
        let mut out = Vec::with_capacity(self.lines.iter().map(FxHashMap::len).sum());
        for lines in self.lines {
            let from = out.len();
            out.extend(
                lines
                    .into_iter()
                    .map(|(key, (by, name, measures))| BreakdownLine {
                        by,
                        key,
                        name,
                        measures,
                    }),
            );
            // Keys are unique within a dimension: the order is total.
            out[from..].sort_unstable_by(|a, b| a.key.cmp(&b.key));
        }
        (out, self.total)
    }
}

/// The region a row is grouped under: its prefecture, or the county itself when the report is
/// limited to a county (`scope`).
pub fn group_region(scope: Option<Region>, region: Option<Region>) -> Option<Region> {
    match scope {
        Some(county @ Region::County(_)) => Some(county),
        _ => region.and_then(Region::prefecture).map(Region::Prefecture),
    }
}

/// `(code, name)` of a grouped region (`""`, `"未知"` when none).
pub fn region_key(region: Option<Region>) -> (String, String) {
    region.map_or_else(
        || (String::new(), "未知".to_owned()),
        |r| (r.to_string(), r.name_zh()),
    )
}

/// One part of a CSV document: its name (the `section` column) and its own columns.
#[derive(Debug, Clone, Default)]
pub struct Section {
    /// The value of the `section` column.
    pub name: String,
    /// This section's columns.
    pub columns: Vec<String>,
    /// Records, each with one value per column.
    pub rows: Vec<Vec<String>>,
}

/// The CSV of a breakdown — one section per dimension (`by`), with `key`, `name` and the
/// measures, then the `total` — followed by the `more` sections; written straight from the
/// lines (see [`sections_csv`] for the columns).
pub fn breakdown_csv<M: Measures>(
    lines: &[BreakdownLine<M>],
    total: &M,
    more: Vec<Section>,
) -> Csv {
    let own: Vec<&str> = ["key", "name"].into_iter().chain(M::columns()).collect();
    let header = header_of(own.iter().copied(), &more);
    // The breakdown's columns come first: they are the header's columns 1 ..= own.len().
    let mut csv = Csv::new(&header, (lines.len() + 1) * 12 * header.len());
    for line in lines {
        csv.field(line.by).field(&line.key).field(&line.name);
        for value in line.measures.values() {
            csv.value(value);
        }
        csv.end();
    }
    csv.field("total").empty(1).field("合计");
    for value in total.values() {
        csv.value(value);
    }
    csv.end();
    write_sections(&mut csv, &header, &more);
    csv
}

/// The CSV of sections: `section`, then every column of every section in first appearance
/// order; a record leaves the columns of other sections empty.
pub fn sections_csv(sections: Vec<Section>) -> Csv {
    let header = header_of(std::iter::empty(), &sections);
    let mut csv = Csv::new(&header, 0);
    write_sections(&mut csv, &header, &sections);
    csv
}

/// `section`, then `first`, then the sections' columns not seen before, in order.
fn header_of<'a>(first: impl Iterator<Item = &'a str>, sections: &'a [Section]) -> Vec<&'a str> {
    let mut header = vec!["section"];
    let columns = sections
        .iter()
        .flat_map(|s| s.columns.iter().map(String::as_str));
    for column in first.chain(columns) {
        if !header.contains(&column) {
            header.push(column);
        }
    }
    header
}

fn write_sections(csv: &mut Csv, header: &[&str], sections: &[Section]) {
    for section in sections {
        let at: Vec<usize> = section
            .columns
            .iter()
            .map(|c| header.iter().position(|h| h == c).unwrap_or(0))
            .collect();
        for row in &section.rows {
            let mut record = vec![""; header.len()];
            record[0] = &section.name;
            for (value, &i) in row.iter().zip(&at) {
                record[i] = value;
            }
            for value in record {
                csv.field(value);
            }
            csv.end();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
    struct Count {
        n: u32,
    }

    impl Measures for Count {
        fn add(&mut self, other: &Self) -> Result<(), ReportError> {
            self.n += other.n;
            Ok(())
        }
        fn columns() -> Vec<&'static str> {
            vec!["n"]
        }
        fn values(&self) -> Vec<u64> {
            vec![u64::from(self.n)]
        }
    }

    #[test]
    fn breakdown_orders_by_dimension_then_key() -> Result<(), ReportError> {
        let mut b = Breakdown::new(&["status", "kind"]);
        b.add("kind", "b", "B", &Count { n: 1 })?;
        b.add("status", "z", "Z", &Count { n: 2 })?;
        b.add("kind", "a", "A", &Count { n: 3 })?;
        b.add("kind", "b", "B", &Count { n: 4 })?;
        b.add_total(&Count { n: 10 })?;
        let (lines, total) = b.finish();
        let keys: Vec<(&str, &str, u32)> = lines
            .iter()
            .map(|l| (l.by, l.key.as_str(), l.measures.n))
            .collect();
        assert_eq!(
            keys,
            [("status", "z", 2), ("kind", "a", 3), ("kind", "b", 5)]
        );
        assert_eq!(total.n, 10);
        let (header, records) = breakdown_csv(&lines, &total, Vec::new()).records();
        assert_eq!(header, ["section", "key", "name", "n"]);
        assert_eq!(records[0], ["status", "z", "Z", "2"]);
        assert_eq!(records[3], ["total", "", "合计", "10"]);
        Ok(())
    }

    #[test]
    fn sections_union_columns() {
        let sections = [
            Section {
                name: "a".into(),
                columns: vec!["x".into(), "y".into()],
                rows: vec![vec!["1".into(), "2".into()]],
            },
            Section {
                name: "b".into(),
                columns: vec!["y".into(), "z".into()],
                rows: vec![vec!["3".into(), "4".into()]],
            },
        ];
        let (header, records) = sections_csv(sections.into()).records();
        assert_eq!(header, ["section", "x", "y", "z"]);
        assert_eq!(records, [vec!["a", "1", "2", ""], vec!["b", "", "3", "4"]]);
    }
}
