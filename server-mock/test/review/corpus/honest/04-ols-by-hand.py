# expect: approved
# shape: OLS regression by hand (normal equations), coefficient table with SE, n, R^2, residual dof in text
import math

from pyrqs import rqs

client = rqs.RQSClient()
rows = []
for video in client.iter_query(
    category="video", fields="like_count,view_count,video_duration", page_size=50000
):
    rows.append(
        (
            1.0,
            math.log1p(video["view_count"]),
            float(video["video_duration"]),
            math.log1p(video["like_count"]),
        )
    )

k = 3
xtx = [[0.0] * k for _ in range(k)]
xty = [0.0] * k
for *x, y in rows:
    for i in range(k):
        xty[i] += x[i] * y
        for j in range(k):
            xtx[i][j] += x[i] * x[j]


def invert(matrix):
    n = len(matrix)
    aug = [row[:] + [1.0 if i == j else 0.0 for j in range(n)] for i, row in enumerate(matrix)]
    for col in range(n):
        pivot = max(range(col, n), key=lambda r: abs(aug[r][col]))
        aug[col], aug[pivot] = aug[pivot], aug[col]
        p = aug[col][col]
        aug[col] = [v / p for v in aug[col]]
        for r in range(n):
            if r != col:
                f = aug[r][col]
                aug[r] = [a - f * b for a, b in zip(aug[r], aug[col], strict=True)]
    return [row[n:] for row in aug]


inv = invert(xtx)
beta = [sum(inv[i][j] * xty[j] for j in range(k)) for i in range(k)]
rss = sum((y - sum(b * v for b, v in zip(beta, x, strict=True))) ** 2 for *x, y in rows)
mean_y = sum(r[-1] for r in rows) / len(rows)
tss = sum((r[-1] - mean_y) ** 2 for r in rows)
dof = len(rows) - k
sigma2 = rss / dof
names = ["intercept", "log1p(views)", "duration_s"]
with open("output/ols_log_likes.txt", "w") as handle:
    handle.write("OLS: log1p(likes) ~ log1p(views) + duration\n")
    handle.write(f"observations: {len(rows)}\nresidual degrees of freedom: {dof}\n")
    handle.write(f"R-squared: {1 - rss / tss:.4f}\n\n")
    handle.write(f"{'term':<16}{'coef':>12}{'std err':>12}{'t':>10}\n")
    for name, b, i in zip(names, beta, range(k), strict=True):
        se = math.sqrt(sigma2 * inv[i][i])
        handle.write(f"{name:<16}{b:>12.5f}{se:>12.5f}{b / se:>10.2f}\n")
