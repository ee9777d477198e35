"""Fill msgstr values of an app catalogue from a Python dict file:  python bin/po_fill.py APP translations.py

translations.py defines ``T = {"English id": "Indonesian text", ...}``. Existing translations are
overwritten only when the dict has the id. Run bin/messages APP afterwards to compile.
"""

import runpy
import sys

import polib

app, source = sys.argv[1], sys.argv[2]
table = runpy.run_path(source)["T"]
path = f"{app}/locale/id/LC_MESSAGES/django.po"
po = polib.pofile(path)
po.metadata.update(
    {"Language": "id", "Content-Type": "text/plain; charset=UTF-8", "Plural-Forms": "nplurals=1; plural=0;"}
)
filled = 0
for entry in po:
    if entry.msgid in table:
        value = table[entry.msgid]
        if entry.msgid_plural:
            entry.msgstr_plural = {0: value}
        else:
            entry.msgstr = value
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
        filled += 1
po.save(path)
missing = [e.msgid for e in po if not (e.msgstr or any(e.msgstr_plural.values())) and not e.obsolete]
print(f"{app}: filled {filled}; still untranslated: {len(missing)}")
for msgid in missing:
    print("  ", repr(msgid))
