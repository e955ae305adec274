//! The story of the data set, chapter by chapter. Each chapter tells its acts in the order they
//! happen to its aggregates; [`Story::finish`](crate::assemble::Story) merges the chapters by date.

mod bases;
mod enterprises;
mod ledgers;
mod plans;
mod projects;
mod standards;
mod tax;

use redmud_domain::{Region, Uscc};

use crate::assemble::Story;
use crate::{DemoDataError, DemoStep};

/// The provincial officer (省工业和信息化厅).
pub(crate) const PROVINCE: &str = "province";
/// The 贵阳 bureau (贵阳市生态环境局).
pub(crate) const GUIYANG: &str = "guiyang";
/// The 遵义 bureau (遵义市工业和科学技术局).
pub(crate) const ZUNYI: &str = "zunyi";
/// The 黔东南 bureau (黔东南州工业和信息化局).
pub(crate) const QIANDONGNAN: &str = "qiandongnan";
/// The finance officer (财政厅 / 税务).
pub(crate) const FINANCE: &str = "finance";

/// A region from its GB/T 2260 code.
pub(crate) fn region(code: u32) -> Result<Region, DemoDataError> {
    Region::from_code(code).map_err(|error| DemoDataError::Region { code, error })
}

/// A unified social credit code from its text.
pub(crate) fn uscc(text: &'static str) -> Result<Uscc, DemoDataError> {
    Uscc::parse(text).map_err(|error| DemoDataError::Uscc { text, error })
}

/// Tell the whole story and turn it into steps.
pub(crate) fn tell() -> Result<Vec<DemoStep>, DemoDataError> {
    let mut story = Story::default();
    enterprises::tell(&mut story)?;
    ledgers::tell(&mut story)?;
    tax::tell(&mut story)?;
    projects::tell(&mut story)?;
    standards::tell(&mut story)?;
    bases::tell(&mut story)?;
    plans::tell(&mut story)?;
    story.finish()
}
