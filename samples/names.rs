//! Generated Vietnamese names for the sorting test and benchmark: people (family, middle and
//! given names) and collectives, with the letters and spellings that sort differently in
//! careless orders: Đ/đ, Ă Â Ê Ô Ơ Ư, all six tones, "Ủy ban"/"Uỷ ban", "Hòa"/"Hoà",
//! "Thủy"/"Thuỷ", numbers ("Tổ 2", "Tổ 10"), capitals.

/// Family names.
pub const FAMILIES: [&str; 24] = [
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô",
    "Dương", "Lý", "Đinh", "Đoàn", "Ưng", "Ông", "Âu", "Ân", "Ấu", "Dư",
];

/// Middle names (an empty one for people who have none).
pub const MIDDLES: [&str; 14] =
    ["", "Văn", "Thị", "Đức", "Minh", "Ngọc", "Thu", "Hữu", "Quang", "Xuân", "Thanh", "Thị Ánh", "Ưu", "Ơn"];

/// Given names: every tone on "Ma", tone marks placed both ways, letters with marks.
pub const GIVENS: [&str; 58] = [
    "An", "Ân", "Ăn", "Anh", "Ánh", "Ảnh", "Bình", "Bính", "Cường", "Dũng", "Duy", "Đạt", "Đức", "Dư", "Hà",
    "Hạ", "Hải", "Hoà", "Hòa", "Hoá", "Hóa", "Hoạ", "Hương", "Hường", "Hưởng", "Huy", "Khánh", "Lan", "Lân",
    "Loan", "Ma", "Mà", "Mả", "Mã", "Má", "Mạ", "Mai", "Mạnh", "Nga", "Ngà", "Ngân", "Oanh", "Ơn", "Ôn",
    "On", "Phúc", "Phước", "Quân", "Quỳnh", "Sơn", "Thủy", "Thuỷ", "Thúy", "Thuý", "Uyên", "Ưng", "Vy",
    "Yến",
];

/// Kinds of collective, some followed by a number.
const BODIES: [&str; 12] = [
    "Ủy ban nhân dân xã",
    "Uỷ ban nhân dân xã",
    "Ủy ban Mặt trận Tổ quốc xã",
    "Hội Nông dân xã",
    "Đoàn Thanh niên xã",
    "Chi bộ thôn",
    "Công an xã",
    "Trường Tiểu học",
    "Tổ dân phố",
    "Ban Dân vận Huyện ủy",
    "Đảng ủy xã",
    "Hợp tác xã",
];

/// Places the collectives are named after.
const PLACES: [&str; 16] = [
    "Ninh Hòa",
    "Ninh Hoà",
    "Diên Khánh",
    "Đại Lãnh",
    "Dục Mỹ",
    "Cam Hải Tây",
    "Ưng Hoà",
    "Ea Kar",
    "Ơn Hòa",
    "Ân Phú",
    "Ăn Khê",
    "Suối Tân",
    "Thủy Triều",
    "Thuỷ Triều",
    "Vạn Ninh",
    "Khánh Vĩnh",
];

/// `n` people as (sort key, full name): the key is the given name, then the full name, as the
/// award list sorts people (`arrange ... by="given"` in the templates).
pub fn people(n: usize) -> Vec<(String, String)> {
    (0..n)
        .map(|i| {
            let family = FAMILIES[i % FAMILIES.len()];
            let middle = MIDDLES[(i / FAMILIES.len()) % MIDDLES.len()];
            let given = GIVENS[(i * 7 + i / 13) % GIVENS.len()];
            let name = [family, middle, given]
                .iter()
                .filter(|w| !w.is_empty())
                .copied()
                .collect::<Vec<_>>()
                .join(" ");
            // One in 50 typed in capitals, as some offices do.
            let name = if i % 50 == 3 { name.to_uppercase() } else { name };
            let given = name.split_whitespace().last().unwrap_or("").to_string();
            (format!("{given} {name}"), name)
        })
        .collect()
}

/// `n` collectives: bodies of places, teams and schools with numbers ("Tổ 2", "Tổ 10").
pub fn collectives(n: usize) -> Vec<String> {
    (0..n)
        .map(|i| match i % 4 {
            0 => format!("Tổ {}", i / 4 % 23 + 1),
            1 => format!("{} Số {}", BODIES[7], i % 12 + 1),
            _ => format!("{} {}", BODIES[i % BODIES.len()], PLACES[(i / 3) % PLACES.len()]),
        })
        .collect()
}
