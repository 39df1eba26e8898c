//! Any text escaped for Typst markup parses as plain text only, and reads back as itself
//! (control characters dropped, tabs as spaces, the Unicode line and paragraph separators
//! as newlines).
#![no_main]

use libfuzzer_sys::fuzz_target;
use typst_syntax::{SyntaxKind, SyntaxNode};
use vanban::template::escape_markup;

fn text_of(node: &SyntaxNode, out: &mut String) {
    match node.kind() {
        SyntaxKind::Markup => node.children().for_each(|c| text_of(c, out)),
        SyntaxKind::Text | SyntaxKind::Space => out.push_str(node.leaf_text()),
        SyntaxKind::Escape => out.push_str(&node.leaf_text()[1..]),
        SyntaxKind::Linebreak => {}
        other => panic!("markup let through: {other:?} {:?}", node.full_text()),
    }
}

fuzz_target!(|s: &str| {
    let escaped = escape_markup(s);
    let root = typst_syntax::parse(&escaped);
    assert!(root.errors_and_warnings().0.is_empty(), "{escaped:?}");
    let mut back = String::new();
    text_of(&root, &mut back);
    let want: String = s
        .chars()
        .filter(|c| !c.is_control() || matches!(c, '\n' | '\t'))
        .map(|c| match c {
            '\t' => ' ',
            '\u{2028}' | '\u{2029}' => '\n',
            c => c,
        })
        .collect();
    assert_eq!(back, want);
});
