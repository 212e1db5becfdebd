//! A small valid registry, as tables of text, that tests change cell by cell and write as CSV files
//! or as one .xlsx workbook.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use outlet_core::ids::Uscc;
use outlet_registry::Table;
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};

pub const USCC: &str = "91350100M000100Y43";
pub const PERMIT: &str = "91350100M000100Y43001P";

/// Returns a second valid USCC, for tests that need two units.
pub fn other_uscc() -> String {
    Uscc::with_check_character("91350100MA2XY0012").unwrap().to_string()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileFormat {
    Csv,
    Xlsx,
}

pub const FORMATS: [FileFormat; 2] = [FileFormat::Csv, FileFormat::Xlsx];

/// Tables by table, each a header row and data rows.
#[derive(Debug, Clone)]
pub struct Fixture {
    pub tables: Vec<(Table, Vec<Vec<String>>)>,
}

fn row(cells: &[&str]) -> Vec<String> {
    cells.iter().map(|cell| cell.to_string()).collect()
}

fn header(table: Table) -> Vec<String> {
    table.columns().iter().map(|column| column.header_zh.to_string()).collect()
}

impl Fixture {
    /// Builds one unit, one permit, an air outlet DA001 and a water outlet DW001, with rows in every
    /// table.
    pub fn valid() -> Self {
        let p = PERMIT;
        let tables = vec![
            (Table::Units, vec![header(Table::Units), row(&[USCC, "示例测试热电有限公司", "示例市测试路1号", "D4411", "重点管理"])]),
            (Table::Permits, vec![header(Table::Permits), row(&[p, USCC, "示例市生态环境局", "2023-06-01", "2023-06-01", "2028-05-31", "有效", "1"])]),
            (
                Table::Outlets,
                vec![
                    header(Table::Outlets),
                    row(&[p, "DA001", "1#锅炉烟气排放口", "废气", "主要排放口", "119.3401", "26.0802", "180", "6.5", "", ""]),
                    row(&[p, "DW001", "废水总排放口", "废水", "主要排放口", "119.341", "26.081", "", "", "闽江（虚构）", "直接排放"]),
                ],
            ),
            (
                Table::Limits,
                vec![
                    header(Table::Limits),
                    row(&[p, "DA001", "二氧化硫", "a21026", "50", "", "35", "mg/m³", "", "150", "150", "150", "150", "150", "GB 13223-2011"]),
                    row(&[p, "DA001", "烟气黑度（林格曼黑度）", "", "1级", "", "", "", "", "", "", "", "", "", "GB 13223-2011"]),
                    row(&[p, "DW001", "化学需氧量", "w01018", "90", "80", "", "mg/L", "", "180", "180", "180", "180", "180", "GB 3544-2008"]),
                ],
            ),
            (
                Table::SpecialPeriods,
                vec![header(Table::SpecialPeriods), row(&[p, "DA001", "重污染天气应急响应", "2026-11-15", "2027-03-15", "二氧化硫", "25", "mg/m³", "360", ""])],
            ),
            (
                Table::Monitoring,
                vec![
                    header(Table::Monitoring),
                    row(&[p, "DA001", "二氧化硫", "自动", "是", "自动监测", "HJ 75-2017"]),
                    row(&[p, "DW001", "化学需氧量", "手工", "否", "1次/日", "HJ 828-2017"]),
                ],
            ),
            (Table::Monitors, vec![header(Table::Monitors), row(&[p, "DA001", "35010000DA0010000001", "二氧化硫、氮氧化物"])]),
            (
                Table::Enforcement,
                vec![
                    header(Table::Enforcement),
                    row(&[p, "", "2026-03-12", "现场检查", "双随机检查，未发现违法行为", "", "", "", "已结案", "是", ""]),
                    row(&[p, "DW001", "2025-08-20", "行政处罚", "化学需氧量超标排放", "《排污许可管理条例》第三十四条", "示环罚〔2025〕31号", "200000", "已执行", "是", ""]),
                ],
            ),
        ];
        Fixture { tables }
    }

    /// Adds a second unit with its permit, one air outlet and one limit.
    pub fn with_second_permit(mut self) -> Self {
        let uscc = other_uscc();
        let permit = format!("{uscc}001P");
        self.push(Table::Units, &[&uscc, "示例第二化工有限公司", "示例市测试路2号", "C2614", "简化管理"]);
        self.push(Table::Permits, &[&permit, &uscc, "示例市生态环境局", "", "2022-01-10", "2027-01-09", "有效", ""]);
        self.push(Table::Outlets, &[&permit, "DA001", "RTO焚烧装置排放口", "废气", "主要排放口", "119.5521", "25.9632", "30", "1.2", "", ""]);
        self.push(Table::Limits, &[&permit, "DA001", "非甲烷总烃", "a24088", "120", "", "", "mg/m³", "", "", "", "", "", "", "GB 31571-2015"]);
        self
    }

    pub fn second_permit() -> String {
        format!("{}001P", other_uscc())
    }

    fn table(&mut self, table: Table) -> &mut Vec<Vec<String>> {
        &mut self.tables.iter_mut().find(|(candidate, _)| *candidate == table).expect("the fixture has every table").1
    }

    /// Appends a data row; missing trailing cells are empty.
    pub fn push(&mut self, table: Table, cells: &[&str]) {
        let width = self.table(table)[0].len();
        let mut new_row = row(cells);
        new_row.resize(width, String::new());
        self.table(table).push(new_row);
    }

    fn position(&mut self, table: Table, header: &str) -> usize {
        self.table(table)[0].iter().position(|name| name == header).unwrap_or_else(|| panic!("{table} has no column {header}"))
    }

    /// Sets the cell in spreadsheet row `row` (the header is row 1) under `header`.
    pub fn set(&mut self, table: Table, row: usize, header: &str, value: &str) -> &mut Self {
        let position = self.position(table, header);
        self.table(table)[row - 1][position] = value.to_string();
        self
    }

    pub fn get(&mut self, table: Table, row: usize, header: &str) -> String {
        let position = self.position(table, header);
        self.table(table)[row - 1][position].clone()
    }

    pub fn remove_column(&mut self, table: Table, header: &str) -> &mut Self {
        let position = self.position(table, header);
        for cells in self.table(table) {
            cells.remove(position);
        }
        self
    }

    pub fn add_column(&mut self, table: Table, header: &str, value: &str) -> &mut Self {
        for (index, cells) in self.table(table).iter_mut().enumerate() {
            cells.push(if index == 0 { header.to_string() } else { value.to_string() });
        }
        self
    }

    /// Replaces every Chinese header by the column's English key.
    pub fn english_headers(&mut self) -> &mut Self {
        for (table, rows) in &mut self.tables {
            for cell in &mut rows[0] {
                let column = table.columns().iter().find(|column| column.header_zh == cell.as_str()).unwrap();
                *cell = column.key.to_string();
            }
        }
        self
    }

    pub fn remove_table(&mut self, table: Table) -> &mut Self {
        self.tables.retain(|(candidate, _)| *candidate != table);
        self
    }

    /// Writes one CSV file per table, named by the table's English key, in `dir`. Returns `dir`.
    pub fn write_csv(&self, dir: &Path) -> PathBuf {
        std::fs::create_dir_all(dir).unwrap();
        for (table, rows) in &self.tables {
            let mut writer = csv::Writer::from_path(dir.join(format!("{}.csv", table.key()))).unwrap();
            for cells in rows {
                writer.write_record(cells).unwrap();
            }
            writer.flush().unwrap();
        }
        dir.to_path_buf()
    }

    /// Writes one workbook with a sheet per table, named by the table's Chinese name. Numbers go in
    /// numeric cells and valid dates in date cells, as Excel stores what a person types.
    pub fn write_xlsx(&self, path: &Path) -> PathBuf {
        let mut workbook = Workbook::new();
        let date_format = Format::new().set_num_format("yyyy-mm-dd");
        for (table, rows) in &self.tables {
            let sheet = workbook.add_worksheet();
            sheet.set_name(table.name_zh()).unwrap();
            for (row_index, cells) in rows.iter().enumerate() {
                for (column_index, cell) in cells.iter().enumerate() {
                    let (row_number, column_number) = (row_index as u32, column_index as u16);
                    if cell.is_empty() {
                        continue;
                    }
                    if row_index > 0 {
                        if let Some(date) = excel_date(cell) {
                            sheet.write_datetime_with_format(row_number, column_number, &date, &date_format).unwrap();
                            continue;
                        }
                        if let Ok(number) = cell.parse::<f64>() {
                            sheet.write_number(row_number, column_number, number).unwrap();
                            continue;
                        }
                    }
                    sheet.write_string(row_number, column_number, cell).unwrap();
                }
            }
        }
        workbook.save(path).unwrap();
        path.to_path_buf()
    }

    /// Writes the fixture in `format` under `dir`: the folder of CSV files, or the workbook's path.
    pub fn write(&self, format: FileFormat, dir: &Path) -> PathBuf {
        match format {
            FileFormat::Csv => self.write_csv(&dir.join("registry")),
            FileFormat::Xlsx => self.write_xlsx(&dir.join("registry.xlsx")),
        }
    }
}

fn excel_date(text: &str) -> Option<ExcelDateTime> {
    let parts: Vec<&str> = text.split('-').collect();
    let [year, month, day] = parts.as_slice() else {
        return None;
    };
    if year.len() != 4 || month.len() != 2 || day.len() != 2 {
        return None;
    }
    let date = time::Date::from_calendar_date(year.parse().ok()?, time::Month::try_from(month.parse::<u8>().ok()?).ok()?, day.parse().ok()?).ok()?;
    ExcelDateTime::from_ymd(date.year() as u16, date.month() as u8, date.day()).ok()
}

/// The file and sheet a problem in `table` should name for `format`, given what [`Fixture::write`]
/// returned.
pub fn expected_place(format: FileFormat, written: &Path, table: Table) -> (PathBuf, Option<String>) {
    match format {
        FileFormat::Csv => (written.join(format!("{}.csv", table.key())), None),
        FileFormat::Xlsx => (written.to_path_buf(), Some(table.name_zh().to_string())),
    }
}
