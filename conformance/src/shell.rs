//! Command lines for `sh`: quoting, so that a command printed in a report runs as written.

/// `text` as one single-quoted `sh` word (`'` written `'\''`).
pub fn quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', "'\\''"))
}

#[cfg(test)]
mod tests {
    use super::quote;

    #[test]
    fn quoted_words_survive_the_shell() {
        assert_eq!(quote("python3 a.py"), "'python3 a.py'");
        assert_eq!(quote("it's"), "'it'\\''s'");
        let out = std::process::Command::new("sh")
            .arg("-c")
            .arg(format!("printf %s {}", quote("a 'b' $HOME \\ \"c\"")))
            .output()
            .unwrap();
        assert_eq!(
            String::from_utf8(out.stdout).unwrap(),
            "a 'b' $HOME \\ \"c\""
        );
    }
}
