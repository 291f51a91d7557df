"""One visual system (issue 14): colour, space and type of every stylesheet come from the design tokens in
static/css/tokens.css, and every page loads them.

The stylesheets are read as text (comments removed) and their declarations checked one by one; the pages are
checked twice: statically (every page template, through its {% extends %} chain, links a stylesheet that imports the
tokens, and no block that holds such a link is replaced without {{ block.super }}) and by fetching real pages."""

import posixpath
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.staticfiles import finders
from django.template import Context, engines
from django.template.loader_tags import ExtendsNode

ROOT = Path(settings.BASE_DIR)
TOKENS = "css/tokens.css"

# Colour literals allowed outside tokens.css: (stylesheet, literal) -> why. Empty: every colour is a token, the admin
# additions use the admin's own colour variables, and the SVG pattern colours of the charts live in a template.
COLOUR_EXCEPTIONS: dict[tuple[str, str], str] = {}

# Lengths allowed in margin, padding and gap declarations outside the space scale: (stylesheet, value) -> why.
SPACE_EXCEPTIONS = {
    ("css/site.css", "-1px"): "the visually-hidden pattern (a 1 px box pulled out of the flow), not spacing",
    ("css/site.css", ".1em"): "a hair of padding around highlighted words, relative to their own text size",
    ("css/site.css", ".25em"): "the gap before a commitment link inside running text, relative to its size",
    ("followup/dashboard.css", "2.25rem"): "the checkbox column of a stacked worklist row (th.pick is 2.25rem wide)",
    ("css/print.css", "2cm"): "page margins of the printed fiche (@page, where custom properties do not apply)",
    ("css/print.css", "2.2cm"): "the bottom page margin of the printed fiche, room for the page number",
}

HEX = re.compile(r"(?<![\w&(-])#[0-9a-fA-F]{3,8}\b")
FUNCTION = re.compile(r"\b(?:rgba?|hsla?|hwb|lab|lch|oklab|oklch|color)\(", re.IGNORECASE)
NAMED = re.compile(r"\b(?:white|black|red|green|blue|yellow|orange|purple|gr[ae]y|silver|navy|maroon|olive|teal|lime|aqua|fuchsia|"
                   r"darkred|darkgreen|darkblue|lightgr[ae]y|darkgr[ae]y|gold|pink|brown|beige|ivory|khaki)\b", re.IGNORECASE)
COLOUR_PROPERTIES = re.compile(r"color|background|border|outline|fill|stroke|shadow|decoration|caret|accent|column-rule")
DECLARATION = re.compile(r"(?<![\w-])(--[\w-]+|[a-z-]+)\s*:\s*([^;{}]+)(?=[;}])")
VAR = re.compile(r"var\(\s*(--[\w-]+)")
LENGTH = re.compile(r"(?<![\w.#-])-?\d*\.?\d+(?:rem|em|px|pt|cm|mm|%)")


def without_comments(css):
    return re.sub(r"/\*.*?\*/", "", css, flags=re.DOTALL)


def own_static_dirs():
    dirs = [Path(d) for d in settings.STATICFILES_DIRS]
    for config in apps.get_app_configs():
        path = Path(config.path) / "static"
        if path.is_dir() and path.resolve().is_relative_to(ROOT) and ".venv" not in path.parts:
            dirs.append(path)
    return dirs


def own_stylesheets():
    """{static name: text} of every stylesheet of the project itself (not the admin's, not collected copies)."""
    return {path.relative_to(base).as_posix(): path.read_text(encoding="utf-8")
            for base in own_static_dirs() for path in sorted(base.rglob("*.css"))}


def declarations(css):
    return DECLARATION.findall(without_comments(css))


def defined_properties(css):
    return {name for name, _ in declarations(css) if name.startswith("--")}


def imports_tokens(name, css):
    """True when the stylesheet is tokens.css or its first statement imports it (later @imports are ignored by browsers)."""
    if name == TOKENS:
        return True
    first = without_comments(css).lstrip()
    match = re.match(r"""@import\s+(?:url\()?\s*["']?([^"')\s]+)["']?\s*\)?\s*;""", first)
    return bool(match) and posixpath.normpath(posixpath.join(posixpath.dirname(name), match.group(1))) == TOKENS


def colour_literals(value):
    value = re.sub(r"url\([^)]*\)|--[\w-]+", "", value)  # pattern references and custom property names are no colours
    return HEX.findall(value) + [m.group(0) for m in FUNCTION.finditer(value)] + NAMED.findall(value)


class TokenFileTests:
    def test_the_tokens_cover_every_category_with_nl_design_system_style_names(self):
        defined = defined_properties(own_stylesheets()[TOKENS])
        for token in ("--ft-color-text", "--ft-color-text-subtle", "--ft-color-accent", "--ft-color-bg-document", "--ft-color-bg-subtle",
                      "--ft-color-border", "--ft-focus-outline-color", "--ft-focus-ring-color", "--ft-font-family", "--ft-font-size-md",
                      "--ft-line-height-md", "--ft-font-weight-bold", "--ft-border-radius-sm", "--ft-border-width-sm", "--ft-content-max-width"):
            assert token in defined, token
        for meaning in ("positive", "neutral", "negative", "warning"):
            assert {f"--ft-color-{meaning}", f"--ft-color-{meaning}-bg"} <= defined, meaning
        assert {f"--ft-space-{step}" for step in range(8)} <= defined
        assert all(name.startswith("--ft-") for name in defined), sorted(name for name in defined if not name.startswith("--ft-"))

    def test_the_token_file_holds_only_custom_properties(self):
        for name, value in declarations(own_stylesheets()[TOKENS]):
            assert name.startswith("--ft-"), (name, value)

    def test_the_current_colours_keep_their_values_and_aa_contrast(self):
        tokens = dict(declarations(own_stylesheets()[TOKENS]))
        value = {name: v.strip() for name, v in tokens.items()}
        white = "#fff"
        for text, background, minimum in [("--ft-color-text", white, 7), ("--ft-color-text-subtle", white, 7),
                                          ("--ft-color-text-subtle", value["--ft-color-bg-subtle"], 7), ("--ft-color-accent", white, 7),
                                          ("--ft-color-positive", value["--ft-color-positive-bg"], 4.5),
                                          ("--ft-color-neutral", value["--ft-color-neutral-bg"], 4.5),
                                          ("--ft-color-negative", value["--ft-color-negative-bg"], 4.5),
                                          ("--ft-color-warning", value["--ft-color-warning-bg"], 4.5),
                                          ("--ft-color-text", value["--ft-color-highlight-bg"], 4.5),
                                          ("--ft-color-text", value["--ft-focus-ring-color"], 4.5)]:
            assert contrast(value[text], background) >= minimum, (text, background)
        # Form fields keep a boundary of at least 3:1 (WCAG 1.4.11).
        assert contrast(value["--ft-color-border-control"], white) >= 3


def contrast(a, b):
    def luminance(colour):
        digits = colour.lstrip("#")
        if len(digits) == 3:
            digits = "".join(d * 2 for d in digits)
        channels = [int(digits[i:i + 2], 16) / 255 for i in (0, 2, 4)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_every_stylesheet_has_been_found():
    assert {TOKENS, "css/site.css", "css/followup.css", "css/print.css", "css/admin-fichetracker.css", "followup/dashboard.css"} <= set(own_stylesheets())


def test_no_stylesheet_but_the_tokens_writes_a_colour_literal():
    found = []
    for name, css in own_stylesheets().items():
        if name == TOKENS:
            continue
        for prop, value in declarations(css):
            if prop.startswith("--") or COLOUR_PROPERTIES.search(prop):
                found += [(name, literal) for literal in colour_literals(value) if (name, literal) not in COLOUR_EXCEPTIONS]
    assert not found, "use a colour token from tokens.css (or add a token there): " + repr(found)


def test_the_colour_check_catches_literals():
    css = "a { color: #1a1a1a; background: rgb(0 0 0 / 50%); border: 1px solid white; fill: url(#pat-grid); }"
    assert [literal for _, value in declarations(css) for literal in colour_literals(value)] == ["#1a1a1a", "rgb(", "white"]


def test_every_custom_property_used_is_defined():
    sheets = own_stylesheets()
    tokens = defined_properties(sheets[TOKENS])
    admin_base = Path(finders.find("admin/css/base.css")).read_text(encoding="utf-8")
    admin_variables = defined_properties(admin_base)
    for name, css in sheets.items():
        available = tokens | defined_properties(css) | (admin_variables if name == "css/admin-fichetracker.css" else set())
        used = set(VAR.findall(without_comments(css)))
        assert used <= available, (name, sorted(used - available))
        # The public pages use the tokens, not the admin's variables, and the tokens never reuse an admin name.
        if name != "css/admin-fichetracker.css":
            assert not (used & admin_variables - tokens - defined_properties(css)), name
    assert not tokens & admin_variables


def spacing_lengths(css):
    """The literal lengths in margin, padding and gap declarations (0 needs no unit and is no literal here)."""
    return [length for prop, value in declarations(css) if re.fullmatch(r"(?:margin|padding|gap|row-gap|column-gap)(?:-[a-z]+)*", prop)
            for length in LENGTH.findall(value)]


def test_spacing_comes_from_the_space_scale():
    found, excepted = [], set()
    for name, css in own_stylesheets().items():
        if name == TOKENS:
            continue
        for length in spacing_lengths(css):
            (excepted.add((name, length)) if (name, length) in SPACE_EXCEPTIONS else found.append((name, length)))
    assert not found, "use var(--ft-space-N) (or add a documented exception): " + repr(found)
    assert excepted == set(SPACE_EXCEPTIONS), "exceptions no longer needed: " + repr(set(SPACE_EXCEPTIONS) - excepted)


def test_the_spacing_check_catches_literals():
    css = ".a { margin: 0 auto; padding: .5rem var(--ft-space-2) 1px; gap: calc(-1 * var(--ft-space-2)); } .b { margin-top: 2em; }"
    assert spacing_lengths(css) == [".5rem", "1px", "2em"]


def test_font_sizes_line_heights_and_weights_come_from_the_type_scale():
    found = []
    for name, css in own_stylesheets().items():
        if name == TOKENS:
            continue
        for prop, value in declarations(css):
            value = value.strip()
            if prop == "font-size" and not (value.startswith("var(--ft-") or re.fullmatch(r"\d*\.?\d+(?:em|%)", value)):
                found.append((name, prop, value))  # em and % scale with the surrounding text, which is tokenised
            if prop in ("line-height", "font-weight", "font-family") and not value.startswith("var(--ft-"):
                found.append((name, prop, value))
    assert not found, found


def test_every_stylesheet_imports_the_tokens_first():
    for name, css in own_stylesheets().items():
        assert imports_tokens(name, css), name
        assert finders.find(TOKENS)


# --- Pages ---------------------------------------------------------------------------------------------------------

LINK = re.compile(r"""<link\b[^>]*\brel=["']stylesheet["'][^>]*>""")
STATIC_HREF = re.compile(r"""\{%\s*static\s+["']([^"']+)["']\s*%\}""")


def token_stylesheets():
    return {name for name, css in own_stylesheets().items() if imports_tokens(name, css)}


def own_template_files():
    dirs = [Path(d) for d in settings.TEMPLATES[0]["DIRS"]]
    for config in apps.get_app_configs():
        path = Path(config.path) / "templates"
        if path.is_dir() and path.resolve().is_relative_to(ROOT) and ".venv" not in path.parts:
            dirs.append(path)
    return {path.relative_to(base).as_posix(): path for base in dirs for path in sorted(base.rglob("*.html"))}


def extends_chain(name):
    """The sources of a template and of every template it extends, as Django resolves them (so an override that
    extends the admin's template of the same name continues with the admin's one)."""
    engine = engines["django"].engine
    template = engine.get_template(name)
    context = Context()
    context.template = template
    sources = []
    while template is not None:
        sources.append(template.source)
        nodes = template.nodelist.get_nodes_by_type(ExtendsNode)
        if not nodes:
            break
        template = nodes[0].find_template(nodes[0].parent_name.resolve(context), context)
    return sources


def links_tokens(source, wanted):
    return any(match.group(1) in wanted for link in LINK.findall(source) for match in [STATIC_HREF.search(link)] if match)


def test_every_page_template_loads_the_tokens():
    wanted = token_stylesheets()
    pages = 0
    for name, path in own_template_files().items():
        source = path.read_text(encoding="utf-8")
        is_page = "<html" in source or "{% extends" in source
        if not is_page or "/email/" in f"/{name}":
            continue  # partials (includes) and e-mails (no stylesheet links in mail)
        pages += 1
        assert any(links_tokens(s, wanted) for s in extends_chain(name)), f"{name} does not load a stylesheet with the tokens"
    assert pages > 40


def test_stylesheets_linked_from_templates_all_import_the_tokens():
    own, wanted = set(own_stylesheets()), token_stylesheets()
    for name, path in own_template_files().items():
        for link in LINK.findall(path.read_text(encoding="utf-8")):
            href = STATIC_HREF.search(link)
            if href and href.group(1) in own:
                assert href.group(1) in wanted, (name, href.group(1))


def test_the_blocks_that_link_the_tokens_are_never_replaced():
    """site.css sits outside every block of base.html; the admin's extrastyle block keeps its super everywhere."""
    templates = own_template_files()
    base = templates["base.html"].read_text(encoding="utf-8")
    before = base[:base.index("{% static 'css/site.css' %}")]
    assert before.count("{% block") == before.count("{% endblock")
    for name, path in templates.items():
        for block in re.findall(r"\{%\s*block extrastyle\s*%\}(.*?)\{%\s*endblock", path.read_text(encoding="utf-8"), flags=re.DOTALL):
            assert "{{ block.super }}" in block, name


def stylesheets_of(html):
    return [re.search(r"""href=["']([^"']+)["']""", link).group(1) for link in LINK.findall(html)]


def reaches_tokens(href):
    name = href.split(settings.STATIC_URL, 1)[1] if settings.STATIC_URL in href else href.lstrip("/")
    path = finders.find(name)
    return path is not None and imports_tokens(name, Path(path).read_text(encoding="utf-8"))


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/fiches/", "/toezeggingen/", "/statistieken/", "/over/", "/fiches/bestaat-niet/", "/admin/login/"])
def test_real_pages_load_the_tokens(client, url):
    response = client.get(url)
    assert response.status_code in (200, 404)
    hrefs = stylesheets_of(response.content.decode())
    assert hrefs and any(reaches_tokens(href) for href in hrefs), (url, hrefs)
    # The token file itself is served (it is what every @import points at).
    assert client.get(f"{settings.STATIC_URL}{TOKENS}").status_code == 200


def test_the_500_page_loads_the_tokens():
    from django.template import loader

    hrefs = stylesheets_of(loader.get_template("500.html").render())
    assert hrefs and all(reaches_tokens(href) for href in hrefs)
