//! Regions of Guizhou by their GB/T 2260 administrative division codes.
//!
//! The province (520000) and its nine prefecture-level divisions are named; a county-level code
//! (6 digits under a known prefecture, last two digits 01–99) is accepted and belongs to its
//! prefecture. The canonical form is the 6-digit code as text, e.g. "520100".

use std::fmt;
use std::str::FromStr;

/// The nine prefecture-level divisions of Guizhou (地级行政区).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Prefecture {
    /// 贵阳市 520100.
    Guiyang,
    /// 六盘水市 520200.
    Liupanshui,
    /// 遵义市 520300.
    Zunyi,
    /// 安顺市 520400.
    Anshun,
    /// 毕节市 520500.
    Bijie,
    /// 铜仁市 520600.
    Tongren,
    /// 黔西南布依族苗族自治州 522300.
    Qianxinan,
    /// 黔东南苗族侗族自治州 522600.
    Qiandongnan,
    /// 黔南布依族苗族自治州 522700.
    Qiannan,
}

impl Prefecture {
    /// All prefectures in code order.
    pub const ALL: [Prefecture; 9] = [
        Prefecture::Guiyang,
        Prefecture::Liupanshui,
        Prefecture::Zunyi,
        Prefecture::Anshun,
        Prefecture::Bijie,
        Prefecture::Tongren,
        Prefecture::Qianxinan,
        Prefecture::Qiandongnan,
        Prefecture::Qiannan,
    ];

    /// GB/T 2260 code.
    pub const fn code(self) -> u32 {
        match self {
            Prefecture::Guiyang => 520100,
            Prefecture::Liupanshui => 520200,
            Prefecture::Zunyi => 520300,
            Prefecture::Anshun => 520400,
            Prefecture::Bijie => 520500,
            Prefecture::Tongren => 520600,
            Prefecture::Qianxinan => 522300,
            Prefecture::Qiandongnan => 522600,
            Prefecture::Qiannan => 522700,
        }
    }

    /// Official Chinese name.
    pub const fn name_zh(self) -> &'static str {
        match self {
            Prefecture::Guiyang => "贵阳市",
            Prefecture::Liupanshui => "六盘水市",
            Prefecture::Zunyi => "遵义市",
            Prefecture::Anshun => "安顺市",
            Prefecture::Bijie => "毕节市",
            Prefecture::Tongren => "铜仁市",
            Prefecture::Qianxinan => "黔西南布依族苗族自治州",
            Prefecture::Qiandongnan => "黔东南苗族侗族自治州",
            Prefecture::Qiannan => "黔南布依族苗族自治州",
        }
    }

    /// Short Chinese name as used in the plan (贵阳市, 黔东南州 …).
    pub const fn short_name_zh(self) -> &'static str {
        match self {
            Prefecture::Qianxinan => "黔西南州",
            Prefecture::Qiandongnan => "黔东南州",
            Prefecture::Qiannan => "黔南州",
            other => other.name_zh(),
        }
    }

    /// English name.
    pub const fn name_en(self) -> &'static str {
        match self {
            Prefecture::Guiyang => "Guiyang",
            Prefecture::Liupanshui => "Liupanshui",
            Prefecture::Zunyi => "Zunyi",
            Prefecture::Anshun => "Anshun",
            Prefecture::Bijie => "Bijie",
            Prefecture::Tongren => "Tongren",
            Prefecture::Qianxinan => "Qianxinan Buyei and Miao Autonomous Prefecture",
            Prefecture::Qiandongnan => "Qiandongnan Miao and Dong Autonomous Prefecture",
            Prefecture::Qiannan => "Qiannan Buyei and Miao Autonomous Prefecture",
        }
    }

    /// The prefecture whose code is exactly `code`.
    pub fn from_code(code: u32) -> Option<Prefecture> {
        Prefecture::ALL.into_iter().find(|p| p.code() == code)
    }
}

/// A county-level division (县级行政区) of Guizhou, known by code only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct County {
    code: u32,
    prefecture: Prefecture,
}

impl County {
    /// GB/T 2260 code.
    pub const fn code(self) -> u32 {
        self.code
    }
    /// The prefecture it belongs to.
    pub const fn prefecture(self) -> Prefecture {
        self.prefecture
    }
}

/// A region of Guizhou: the province, a prefecture, or a county.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Region {
    /// 贵州省 520000.
    Province,
    /// A prefecture-level division.
    Prefecture(Prefecture),
    /// A county-level division.
    County(County),
}

/// Why a text is not a Guizhou GB/T 2260 region code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, serde::Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "rule", content = "values")]
pub enum RegionError {
    /// Not exactly six ASCII digits.
    #[error("a GB/T 2260 region code is six digits, found {input:?}")]
    NotSixDigits {
        /// The text given.
        input: String,
    },
    /// A code outside Guizhou (which starts with 52).
    #[error("region code {code} is outside Guizhou (52xxxx)")]
    OutsideGuizhou {
        /// The code given.
        code: u32,
    },
    /// A Guizhou code whose prefecture part is not one of the nine prefectures.
    #[error("region code {code} is not under a Guizhou prefecture")]
    UnknownPrefecture {
        /// The code given.
        code: u32,
    },
}

crate::aggregate::error_rules!(RegionError {
    NotSixDigits,
    OutsideGuizhou,
    UnknownPrefecture
});

impl Region {
    /// Every named region: the province then the nine prefectures.
    pub fn named() -> impl Iterator<Item = Region> {
        std::iter::once(Region::Province).chain(Prefecture::ALL.into_iter().map(Region::Prefecture))
    }

    /// Parse a 6-digit code.
    pub fn from_code(code: u32) -> Result<Region, RegionError> {
        if !(100_000..=999_999).contains(&code) {
            return Err(RegionError::NotSixDigits {
                input: code.to_string(),
            });
        }
        if code / 10_000 != 52 {
            return Err(RegionError::OutsideGuizhou { code });
        }
        if code == 520_000 {
            return Ok(Region::Province);
        }
        let prefecture_code = code / 100 * 100;
        let prefecture = Prefecture::from_code(prefecture_code)
            .ok_or(RegionError::UnknownPrefecture { code })?;
        if code == prefecture_code {
            Ok(Region::Prefecture(prefecture))
        } else {
            Ok(Region::County(County { code, prefecture }))
        }
    }

    /// GB/T 2260 code.
    pub const fn code(self) -> u32 {
        match self {
            Region::Province => 520000,
            Region::Prefecture(p) => p.code(),
            Region::County(c) => c.code(),
        }
    }

    /// The prefecture this region is or belongs to (None for the province).
    pub const fn prefecture(self) -> Option<Prefecture> {
        match self {
            Region::Province => None,
            Region::Prefecture(p) => Some(p),
            Region::County(c) => Some(c.prefecture()),
        }
    }

    /// Whether `other` is this region or lies within it.
    pub fn contains(self, other: Region) -> bool {
        match self {
            Region::Province => true,
            Region::Prefecture(p) => other.prefecture() == Some(p),
            Region::County(c) => other == Region::County(c),
        }
    }

    /// Chinese name; a county is named by its code under its prefecture.
    pub fn name_zh(self) -> String {
        match self {
            Region::Province => "贵州省".to_owned(),
            Region::Prefecture(p) => p.name_zh().to_owned(),
            Region::County(c) => {
                format!("{}辖县级区划 {}", c.prefecture().short_name_zh(), c.code())
            }
        }
    }

    /// English name; a county is named by its code under its prefecture.
    pub fn name_en(self) -> String {
        match self {
            Region::Province => "Guizhou Province".to_owned(),
            Region::Prefecture(p) => p.name_en().to_owned(),
            Region::County(c) => format!("county {} of {}", c.code(), c.prefecture().name_en()),
        }
    }
}

impl From<Prefecture> for Region {
    fn from(p: Prefecture) -> Region {
        Region::Prefecture(p)
    }
}

impl fmt::Display for Region {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.code())
    }
}

impl FromStr for Region {
    type Err = RegionError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s.len() != 6 || !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(RegionError::NotSixDigits {
                input: s.to_owned(),
            });
        }
        let code = s.parse::<u32>().map_err(|_| RegionError::NotSixDigits {
            input: s.to_owned(),
        })?;
        Region::from_code(code)
    }
}

super::string_serde!(Region);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn named_regions_parse_and_print() {
        let expected = [
            ("520000", "贵州省", "Guizhou Province"),
            ("520100", "贵阳市", "Guiyang"),
            ("520200", "六盘水市", "Liupanshui"),
            ("520300", "遵义市", "Zunyi"),
            ("520400", "安顺市", "Anshun"),
            ("520500", "毕节市", "Bijie"),
            ("520600", "铜仁市", "Tongren"),
            (
                "522300",
                "黔西南布依族苗族自治州",
                "Qianxinan Buyei and Miao Autonomous Prefecture",
            ),
            (
                "522600",
                "黔东南苗族侗族自治州",
                "Qiandongnan Miao and Dong Autonomous Prefecture",
            ),
            (
                "522700",
                "黔南布依族苗族自治州",
                "Qiannan Buyei and Miao Autonomous Prefecture",
            ),
        ];
        let named: Vec<Region> = Region::named().collect();
        assert_eq!(named.len(), expected.len());
        for (region, (code, zh, en)) in named.into_iter().zip(expected) {
            assert_eq!(code.parse::<Region>(), Ok(region));
            assert_eq!(region.to_string(), code);
            assert_eq!(region.name_zh(), zh);
            assert_eq!(region.name_en(), en);
        }
    }

    #[test]
    fn counties_map_to_their_prefecture() {
        // 清镇市 520181 (Qingzhen, under Guiyang); 凯里市 522601 (Kaili, under Qiandongnan).
        let qingzhen: Region = "520181".parse().expect("county");
        assert_eq!(qingzhen.prefecture(), Some(Prefecture::Guiyang));
        assert!(Region::Prefecture(Prefecture::Guiyang).contains(qingzhen));
        assert!(Region::Province.contains(qingzhen));
        assert!(!Region::Prefecture(Prefecture::Zunyi).contains(qingzhen));
        assert!(!qingzhen.contains(Region::Prefecture(Prefecture::Guiyang)));
        let kaili: Region = "522601".parse().expect("county");
        assert_eq!(kaili.prefecture(), Some(Prefecture::Qiandongnan));
        assert_eq!(kaili.to_string(), "522601");
    }

    #[test]
    fn each_rule_has_its_error() {
        assert_eq!(
            "52010".parse::<Region>(),
            Err(RegionError::NotSixDigits {
                input: "52010".into()
            })
        );
        assert_eq!(
            "5201O0".parse::<Region>(),
            Err(RegionError::NotSixDigits {
                input: "5201O0".into()
            })
        );
        assert_eq!(
            "110000".parse::<Region>(),
            Err(RegionError::OutsideGuizhou { code: 110000 })
        );
        assert_eq!(
            "520700".parse::<Region>(),
            Err(RegionError::UnknownPrefecture { code: 520700 })
        );
        assert_eq!(
            "522401".parse::<Region>(),
            Err(RegionError::UnknownPrefecture { code: 522401 })
        );
    }

    #[test]
    fn serde_is_the_code_text() {
        let r = Region::Prefecture(Prefecture::Zunyi);
        assert_eq!(
            serde_json::to_string(&r).ok(),
            Some("\"520300\"".to_owned())
        );
        assert_eq!(serde_json::from_str::<Region>("\"520300\"").ok(), Some(r));
        assert!(serde_json::from_str::<Region>("\"520900\"").is_err());
    }
}
