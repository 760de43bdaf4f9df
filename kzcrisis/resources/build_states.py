"""Generate ``states.csv``: one row per ISO 3166-1 country, names from CLDR through Babel.

Run ``make resources`` (or ``python -m kzcrisis.resources.build_states``) after upgrading
Babel; the output is sorted and written with LF line ends, so running it twice gives the
same bytes. Babel is a development dependency: the package reads the checked-in CSV and
never imports Babel at run time.

- ``actor_id``: the ISO 3166-1 alpha-3 code, from CLDR's ``territoryAlias`` entries (each
  alpha-3 code is an "overlong" alias of its alpha-2 code), e.g. ``KAZ`` for ``KZ``;
- ``name_en``, ``name_ar``: ``babel.Locale("en"/"ar").territories`` (e.g. كازاخستان);
- ``un_member``: ``yes`` for the 193 member states of the United Nations (UN_MEMBERS below:
  Babel does not expose CLDR's ``UN`` containment group, so the list is kept here, in the
  order of the UN's own list of member states), else ``no``.

Codes that CLDR has but ISO 3166-1 does not assign (``XK`` Kosovo, Ascension, Tristan da
Cunha, Diego Garcia, Clipperton, Canary Islands, Ceuta and Melilla, Sark, the private-use
and macro-region codes) are left out; a user actors file can add them.
"""
from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

#: The 193 UN member states (alpha-2), as listed by the UN (www.un.org/en/about-us/member-states).
UN_MEMBERS = frozenset("""
AF AL DZ AD AO AG AR AM AU AT AZ BS BH BD BB BY BE BZ BJ BT BO BA BW BR BN BG BF BI CV KH
CM CA CF TD CL CN CO KM CG CR CI HR CU CY CZ KP CD DK DJ DM DO EC EG SV GQ ER EE SZ ET FJ
FI FR GA GM GE DE GH GR GD GT GN GW GY HT HN HU IS IN ID IR IQ IE IL IT JM JP JO KZ KE KI
KW KG LA LV LB LS LR LY LI LT LU MG MW MY MV ML MT MH MR MU MX FM MC MN ME MA MZ MM NA NR
NP NL NZ NI NE NG MK NO OM PK PW PA PG PY PE PH PL PT QA KR MD RO RU RW KN LC VC WS SM ST
SA SN RS SC SL SG SK SI SB SO ZA SS ES LK SD SR SE CH SY TJ TH TL TG TO TT TN TR TM TV UG
UA AE GB TZ US UY UZ VU VE VN YE ZM ZW
""".split())
#: CLDR territory codes that are not ISO 3166-1 assignments (exceptionally or user-assigned).
NOT_ISO = frozenset("AC CP CQ DG EA EU EZ IC QO TA UN XA XB XK ZZ".split())
#: Withdrawn alpha-3 codes that CLDR still aliases to a current alpha-2 code (Burma, Zaire,
#: East Germany, metropolitan France, East Timor, South Yemen).
WITHDRAWN_ALPHA3 = frozenset("BUR ZAR DDR FXX TMP YMD".split())
COLUMNS = ["actor_id", "iso2", "name_en", "name_ar", "un_member"]
OUT = Path(__file__).resolve().parent / "states.csv"


def state_rows() -> list[dict[str, str]]:
    """The rows of ``states.csv`` from the installed Babel's CLDR data, sorted by actor_id.

    >>> next(r for r in state_rows() if r["actor_id"] == "KAZ")["name_ar"]
    'كازاخستان'
    """
    import babel
    from babel.core import get_global

    if len(UN_MEMBERS) != 193:
        raise AssertionError(f"UN_MEMBERS has {len(UN_MEMBERS)} codes, not 193")
    en, ar = babel.Locale("en").territories, babel.Locale("ar").territories
    alpha3 = {}
    for code, targets in get_global("territory_aliases").items():
        if len(code) == 3 and code.isalpha() and len(targets) == 1 \
                and code not in WITHDRAWN_ALPHA3:
            alpha3[targets[0]] = code
    rows = []
    for iso2 in sorted(ar):
        if len(iso2) != 2 or not iso2.isalpha() or iso2 in NOT_ISO or iso2 not in alpha3:
            continue
        rows.append({"actor_id": alpha3[iso2], "iso2": iso2, "name_en": en[iso2],
                     "name_ar": ar[iso2], "un_member": "yes" if iso2 in UN_MEMBERS else "no"})
    missing = UN_MEMBERS - {r["iso2"] for r in rows}
    if missing:
        raise AssertionError(f"CLDR lacks UN members {sorted(missing)}")
    return sorted(rows, key=lambda r: r["actor_id"])


def render(rows: list[dict[str, str]]) -> str:
    """The CSV text (UTF-8, LF line ends, minimal quoting): the same rows give the same bytes."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue()


def main(argv: list[str] | None = None) -> int:
    """Write ``states.csv`` (or the path given as the only argument)."""
    import babel
    from babel.core import get_global

    out = Path(argv[0]) if argv else OUT
    rows = state_rows()
    out.write_text(render(rows), encoding="utf-8", newline="\n")
    print(f"{out}: {len(rows)} ISO 3166-1 countries ({sum(r['un_member'] == 'yes' for r in rows)}"
          f" UN members) from CLDR {get_global('cldr')['version']} (Babel {babel.__version__})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
