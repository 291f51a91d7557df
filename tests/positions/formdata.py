"""Read an admin form from its HTML the way a browser would submit it, so tests can POST it back."""

from html.parser import HTMLParser


class _FormParser(HTMLParser):
    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.data = {}
        self._textarea = None
        self._select = None
        self._select_multiple = False

    def _add(self, name, value):
        self.data.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("id") == self.form_id:
            self.inside = True
        if not self.inside:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in ("submit", "button", "file", "image"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            self._add(name, attrs.get("value", "on" if kind == "checkbox" else ""))
        elif tag == "textarea" and name:
            self._textarea = name
            self._add(name, "")
        elif tag == "select" and name:
            self._select = name
            self._select_multiple = "multiple" in attrs
            if not self._select_multiple:
                self.data.setdefault(name, [])
        elif tag == "option" and self._select and "selected" in attrs:
            self._add(self._select, attrs.get("value", ""))

    def handle_endtag(self, tag):
        if tag == "form" and self.inside:
            self.inside = False
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select":
            if self._select and not self._select_multiple and not self.data.get(self._select):
                self.data[self._select] = [""]
            self._select = None

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea][-1] += data


def form_data(html, form_id):
    """The submittable fields of the form with ``form_id`` as a dict of lists (for Client.post)."""
    parser = _FormParser(form_id)
    parser.feed(html)
    data = {}
    for name, values in parser.data.items():
        if "__prefix__" in name:
            continue
        # A leading newline right after <textarea> is dropped by browsers.
        data[name] = [v[1:] if v.startswith("\n") else v for v in values]
    return data
