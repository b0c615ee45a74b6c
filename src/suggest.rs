//! "Did you mean ...?" suggestions for mistyped names, by edit distance (strsim).
//! Pure string logic: no knowledge of scenarios or KPIs.

/// The candidate closest to `word`, if it is close enough to be a likely typo.
pub fn closest<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    candidates
        .iter()
        .map(|c| (strsim::damerau_levenshtein(word, c), *c))
        .filter(|(d, c)| *d <= (c.len() / 3).max(2) || c.contains(word) || word.contains(c))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::closest;

    #[test]
    fn typos_find_their_word() {
        let keys = ["orders_per_day", "day_of_week", "peaks"];
        assert_eq!(closest("ordrs_per_day", &keys), Some("orders_per_day"));
        assert_eq!(closest("peak", &keys), Some("peaks"));
        assert_eq!(closest("xyzzy", &keys), None);
    }
}
