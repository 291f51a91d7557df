// The precedent panel of the fiche change form, loaded after the form (issue 17). The form itself holds a link to
// the panel's own page, which works without JavaScript; this script fetches the panel alone and puts it in place of
// that link. When the request fails the link stays.
"use strict";
{
    const placeholder = document.querySelector("[data-precedents-panel]");
    if (placeholder) {
        fetch(placeholder.dataset.precedentsPanel, {credentials: "same-origin", headers: {Accept: "text/html"}})
            .then((response) => (response.ok ? response.text() : Promise.reject(new Error(String(response.status)))))
            .then((html) => {
                const template = document.createElement("template");
                template.innerHTML = html;
                const panel = template.content.querySelector("#ft-precedents");
                if (panel) {
                    placeholder.replaceWith(panel);
                }
            })
            .catch(() => {});
    }
}
