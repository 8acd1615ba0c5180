"""Serves Vega, Vega-Lite and vega-embed from the site itself, at the versions Altair uses.

vl-convert ships the three libraries; its bundle is written once per version into build/assets/vendor.
A major-version mismatch with Altair breaks charts, so it is refused here rather than in a browser.
"""

from __future__ import annotations

from importlib import metadata
from pathlib import Path

from . import memo, paths

HERE = Path(__file__)


def versions() -> dict[str, str]:
    """The libraries' versions, checked against Altair's. Worked out once per installed Altair and
    vl-convert (importing Altair cost a quarter of a second of every build process)."""
    installed = [metadata.version("altair"), metadata.version("vl-convert-python"), HERE.read_bytes()]
    key = memo.key("vendor", *installed)
    known = memo.get("vendor", key)
    if isinstance(known, dict):
        return known
    import altair as alt
    import vl_convert as vlc

    vegalite_minor = ".".join(alt.VEGALITE_VERSION.split(".")[:2])
    ours = {"vega": vlc.get_vega_version(), "vega-lite": vegalite_minor, "vega-embed": vlc.get_vega_embed_version()}
    wanted = {"vega": alt.VEGA_VERSION, "vega-lite": alt.VEGALITE_VERSION, "vega-embed": alt.VEGAEMBED_VERSION}
    for name, version in wanted.items():
        if ours[name].split(".")[0] != version.split(".")[0]:
            raise RuntimeError(
                f"{name} {ours[name]} from vl-convert does not match Altair's {version} "
                "(update vl-convert-python and altair together: make lock)"
            )
    if ours["vega-lite"] not in vlc.get_vegalite_versions():
        raise RuntimeError(f"vl-convert has no Vega-Lite {ours['vega-lite']} (update vl-convert-python)")
    memo.put("vendor", key, ours)
    return ours


def bundle_name() -> str:
    v = versions()
    return f"vega-{v['vega']}_vega-lite-{v['vega-lite']}_vega-embed-{v['vega-embed']}.min.js"


def write_bundle(out_dir: Path = paths.BUILD / "assets" / "vendor") -> Path:
    path = out_dir / bundle_name()
    if not path.is_file():
        import vl_convert as vlc

        out_dir.mkdir(parents=True, exist_ok=True)
        path.write_text(vlc.javascript_bundle(vl_version="v" + versions()["vega-lite"]), encoding="utf-8")
    return path
