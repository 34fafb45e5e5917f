# expect: approved
# shape: logistic regression by hand (IRLS) of a viral flag on log likes and duration; summary text
import math

from pyrqs import rqs

client = rqs.RQSClient()
xs, ys = [], []
us_and_brazil = [
    {
        "operator": "and",
        "conditions": [{"field": "region_code", "operator": "IN", "field_values": ["US", "BR"]}],
    }
]
for video in client.iter_query(
    category="video",
    condition_groups=us_and_brazil,
    fields="view_count,like_count,video_duration",
    page_size=50000,
):
    xs.append((1.0, math.log1p(video["like_count"]), video["video_duration"] / 60.0))
    ys.append(1.0 if video["view_count"] >= 10000 else 0.0)

k = 3


def solve(a, b):
    n = len(a)
    m = [row[:] + [v] for row, v in zip(a, b, strict=True)]
    for c in range(n):
        p = max(range(c, n), key=lambda r: abs(m[r][c]))
        m[c], m[p] = m[p], m[c]
        for r in range(n):
            if r != c:
                f = m[r][c] / m[c][c]
                m[r] = [x - f * y for x, y in zip(m[r], m[c], strict=True)]
    return [m[i][n] / m[i][i] for i in range(n)]


beta = [0.0] * k
for _ in range(12):
    h = [[0.0] * k for _ in range(k)]
    g = [0.0] * k
    for x, y in zip(xs, ys, strict=True):
        eta = sum(b * v for b, v in zip(beta, x, strict=True))
        p = 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, eta))))
        w = p * (1 - p)
        for i in range(k):
            g[i] += (y - p) * x[i]
            for j in range(k):
                h[i][j] += w * x[i] * x[j]
    step = solve(h, g)
    beta = [b + s for b, s in zip(beta, step, strict=True)]
    if max(abs(s) for s in step) < 1e-8:
        break

with open("output/logit_viral.txt", "w") as handle:
    handle.write("Logistic regression: P(views >= 10,000) ~ log1p(likes) + duration (minutes)\n")
    handle.write(f"observations: {len(xs)}, positives: {int(sum(ys))}\n")
    handle.write(f"residual degrees of freedom: {len(xs) - k}\n")
    for name, b in zip(["intercept", "log1p(likes)", "duration_min"], beta, strict=True):
        handle.write(f"  {name:<14} coef {b:+.4f}  odds ratio {math.exp(b):.3f}\n")
