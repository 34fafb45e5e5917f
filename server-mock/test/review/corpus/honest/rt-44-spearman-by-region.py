# expect: approved
# shape: Spearman correlations of likes with views, comments, shares and duration, by region (one row per region), CSV
import csv
from collections import defaultdict

from pyrqs import rqs


def ranks(xs):
    order = sorted(range(len(xs)), key=lambda i: xs[i])
    r = [0.0] * len(xs)
    for k, i in enumerate(order):
        r[i] = k
    return r


def corr(a, b):
    n = len(a)
    ma, mb = sum(a) / n, sum(b) / n
    cov = sum((x - ma) * (y - mb) for x, y in zip(a, b, strict=True))
    va = sum((x - ma) ** 2 for x in a) ** 0.5
    vb = sum((y - mb) ** 2 for y in b) ** 0.5
    return cov / (va * vb) if va and vb else 0.0


client = rqs.RQSClient()
by = defaultdict(list)
for v in client.iter_query(
    category="video",
    fields="region_code,like_count,view_count,comment_count,share_count,video_duration",
    page_size=50000,
):
    by[v["region_code"]].append(v)
with open("output/spearman_by_region.csv", "w", newline="") as handle:
    w = csv.writer(handle)
    w.writerow(["region", "n", "rho_views", "rho_comments", "rho_shares", "rho_duration"])
    for region, vs in sorted(by.items()):
        if len(vs) < 50:
            continue
        likes = ranks([v["like_count"] for v in vs])
        w.writerow(
            [region, len(vs)]
            + [
                round(corr(likes, ranks([v[f] for v in vs])), 3)
                for f in ("view_count", "comment_count", "share_count", "video_duration")
            ]
        )
