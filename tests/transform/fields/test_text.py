"""HTML to clean text."""

from __future__ import annotations

from transform.fields.text import html_to_text


def test_list_items_and_headings_become_lines():
    text = html_to_text("<h2>You will</h2><ul><li>Care for patients</li><li>Keep records</li>"
                        "</ul><p>Apply&nbsp;now &amp; soon</p>")
    lines = [line for line in text.splitlines() if line]
    assert lines == ["You will", "- Care for patients", "- Keep records", "Apply now & soon"]


def test_entity_escaped_html_is_unescaped_before_parsing():
    escaped = "&lt;div class=&quot;intro&quot;&gt;&lt;p&gt;Registered nurse&lt;/p&gt;&lt;/div&gt;"
    assert html_to_text(escaped) == "Registered nurse"


def test_plain_text_and_empty_values_pass():
    assert html_to_text("Plain  text\n\n\n\nnext") == "Plain text\n\nnext"
    assert html_to_text(None) == "" and html_to_text("") == ""


def test_scripts_and_styles_are_dropped():
    assert html_to_text("<style>p{}</style><p>Job</p><script>x()</script>") == "Job"


def test_mojibake_is_repaired():
    # As published by Remote OK: UTF-8 decoded as Windows-1252 upstream.
    assert html_to_text("<p>Weâ€™re hiring</p><p>About CMI:Â\xa0Care</p>") == \
        "We're hiring\nAbout CMI: Care"  # ftfy also straightens quotes
    assert html_to_text("Café crème") == "Café crème"  # clean text is left alone


def test_comments_and_processing_instructions_give_their_tails_only():
    assert html_to_text("<p>a<!-- note -->d<?php echo 1; ?>e<script>s</script>f</p>") == "adef"
    assert html_to_text("<ul><li>a<!--c--></li><!--d-->e<li>b</li></ul>") == "- ae\n- b"


def test_runs_of_spaces_tabs_and_no_break_spaces_become_one_space():
    assert html_to_text("a \t\xa0 b\tc\xa0d  e") == "a b c d e"
