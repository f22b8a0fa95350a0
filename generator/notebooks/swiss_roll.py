# %% [markdown] tags=["ko"]
# # 실습 1: 픽셀 공간과 스위스롤
#
# 이 노트북은 사이트의 [픽셀 공간](../../pixel-space/)과 [매니폴드와 스위스롤](../../manifold/) 장을
# 직접 손으로 따라가 봅니다. GPU 없이 노트북 PC의 CPU로 돌아갑니다. 그림과 수치를 만드는 함수는 사이트의
# 그림을 만드는 `generator` 패키지에서 그대로 가져옵니다.
#
# 아래 `QUICK = True`로 바꾸면 점의 수를 1,500개에서 300개로 줄여 더 빨리 끝납니다.

# %% [markdown] tags=["en"]
# # Hands-on 1: pixel space and the Swiss roll
#
# This notebook walks through the site's [pixel space](../../pixel-space/) and
# [manifolds and the Swiss roll](../../manifold/) chapters by hand. It runs on a laptop's CPU, no
# GPU needed. The functions come straight from the `generator` package that draws the site's
# figures.
#
# Set `QUICK = True` below to use 300 points instead of 1,500, for a faster run.

# %% tags=["parameters"]
QUICK = False

# %%
import matplotlib.pyplot as plt
from sklearn.manifold import Isomap

from generator.data.swiss_roll import make_swiss_roll
from generator.engine.seeding import numpy_stream
from generator.engine.style import use_korean_font
from generator.measures.scores import along_roll_correlation, distance_correlation

# ko: 그림 속 한글은 사이트의 그림과 같은
# ko: 나눔고딕으로 씁니다
# en: Hangul in the Korean plots: NanumGothic,
# en: the font of the site's figures
use_korean_font()

# %% tags=["ko"]
# 그림 제목과 출력 문구. 영어 노트북과는
# 이 칸만 다릅니다.
WORDS = {
    "numbers": "숫자 {:,}개",
    "corner": "왼쪽 위 {0} × {0} 픽셀",
    "roll": "점 {:,}개, 점마다 좌표 {}개 (x, y, z)",
    "rolled": "3차원 공간에 말린 종이",
    "truth": "정답: 실제로 펼친 종이",
    "isomap": "Isomap이 펼친 모양 (k = {})",
    "order": "말린 방향의 순서 (Isomap)",
    "shape": "거리의 모양 (Isomap)",
    "straight": "거리의 모양 (3차원 직선거리)",
    "k_score": "k = {:2d}: 거리의 모양 {:.3f}",
}

# %% tags=["en"]
# Words of the plots and printouts: the only
# cell that differs in the Korean notebook.
WORDS = {
    "numbers": "{:,} numbers",
    "corner": "top-left {0} × {0} pixels",
    "roll": "{:,} points, {} coordinates each (x, y, z)",
    "rolled": "the sheet rolled up in 3-D",
    "truth": "truth: the sheet unrolled",
    "isomap": "Isomap's layout (k = {})",
    "order": "order along the roll (Isomap)",
    "shape": "shape of the distances (Isomap)",
    "straight": "shape of the distances (straight 3-D)",
    "k_score": "k = {:2d}: shape of the distances {:.3f}",
}

# %% [markdown] tags=["ko"]
# ## 이미지는 점 하나
#
# 768×768 컬러 이미지는 숫자 768 × 768 × 3개, 곧 1,769,472차원 공간의 점 하나입니다. 그 공간에서
# 아무 점이나 고르면 어떤 이미지가 나올까요? 각 숫자를 0과 1 사이에서 고르게 뽑아 봅니다.

# %% [markdown] tags=["en"]
# ## An image is one point
#
# A 768×768 colour image is 768 × 768 × 3 numbers: one point in a 1,769,472-dimensional space. What
# does a point picked at random from that space look like? Draw every number uniformly between 0 and 1.

# %%
rng = numpy_stream("notebook/pixel_space")
random_image = rng.random((768, 768, 3))
print(WORDS["numbers"].format(random_image.size))

fig, (corner, patch) = plt.subplots(1, 2, figsize=(5, 2.7))
corner.imshow(random_image[:160, :160], interpolation="nearest")
patch.imshow(random_image[:20, :20], interpolation="nearest")
corner.set_title(WORDS["corner"].format(160), fontsize=10)
patch.set_title(WORDS["corner"].format(20), fontsize=10)
for ax in (corner, patch):
    ax.axis("off")
plt.show()

# %% [markdown] tags=["ko"]
# 어디를 뽑아도 텔레비전의 지지직거리는 화면뿐입니다. 사진처럼 보이는 이미지는 이 거대한 공간에서
# 아주 얇은 곳에만 모여 있습니다. 그 "얇은 곳"이 매니폴드입니다. 가장 단순한 예인 스위스롤로 갑니다.
#
# ## 스위스롤 만들기
#
# 평평한 2차원 종이 위의 점들을 3차원에서 돌돌 맙니다. 색은 종이 위에서 말린 방향으로의 위치입니다.

# %% [markdown] tags=["en"]
# Wherever you land, it is television static. Images that look like photos gather in a very thin part
# of this huge space; that thin part is the manifold. On to the simplest example, the Swiss roll.
#
# ## Making a Swiss roll
#
# Points on a flat 2-D sheet, rolled up in 3-D. Colour is the position along the sheet, in the
# direction of rolling.

# %%
n_points = 300 if QUICK else 1500
stream = numpy_stream("notebook/swiss_roll")
roll = make_swiss_roll(n_points, stream)
print(WORDS["roll"].format(*roll.points.shape))

fig = plt.figure(figsize=(5, 4))
ax = fig.add_subplot(projection="3d")
ax.scatter(*roll.points.T, c=roll.t, cmap="viridis", s=4)
ax.view_init(elev=12, azim=-68)
ax.set_title(WORDS["rolled"], y=0.95)
plt.show()

# %% [markdown] tags=["ko"]
# ## Isomap으로 펼치기
#
# Isomap은 가까운 이웃끼리만 선으로 잇고, 그 선을 따라 잰 거리(종이 위의 거리)를 지키도록 점들을 평면에
# 다시 놓습니다. 정말 종이를 펼친 모양이 나오는지 봅니다.

# %% [markdown] tags=["en"]
# ## Unrolling it with Isomap
#
# Isomap connects each point only to its nearest neighbours and lays the points out in a plane so that
# distances measured along those links (distances on the sheet) are kept. Does the sheet come out flat?

# %%
isomap = Isomap(n_neighbors=10, n_components=2,
                eigen_solver="dense")
unrolled = isomap.fit_transform(roll.points)

fig, (before, after) = plt.subplots(1, 2, figsize=(7, 2.8))
before.scatter(*roll.sheet.T, c=roll.t, cmap="viridis", s=4)
before.set_title(WORDS["truth"])
after.scatter(*unrolled.T, c=roll.t, cmap="viridis", s=4)
after.set_title(WORDS["isomap"].format(isomap.n_neighbors))
for ax in (before, after):
    ax.set_aspect("equal")
plt.show()

# %% [markdown] tags=["ko"]
# ## 점수 매기기
#
# 눈으로 보기만 하지 않고 숫자로 잽니다. 사이트와 같은 두 점수입니다. 1에 가까울수록 좋습니다.
#
# - **말린 방향의 순서**: 펼친 그림의 한 방향으로 읽은 순서가 종이 위의 순서와 얼마나 같은가(스피어만 ρ)
# - **거리의 모양**: 모든 점 쌍의 거리가 종이 위의 거리와 얼마나 같은 순서인가
#
# 비교를 위해 3차원에서 곧장 잰 거리(종이를 무시한 거리)의 점수도 잽니다. 이 노트북은 사이트와 다른
# 시드로 점을 새로 뽑으므로, 점수가 사이트의 숫자와 소수 둘째 자리쯤에서 조금 다를 수 있습니다.

# %% [markdown] tags=["en"]
# ## Scoring it
#
# Not just by eye: the site's two scores, where 1 is best.
#
# - **order along the roll**: how well the order read along one direction of the picture matches the
#   order along the sheet (Spearman ρ);
# - **shape of the distances**: how well all pairwise distances follow the distances on the sheet.
#
# For comparison, the second score for straight-line distances through 3-D space (ignoring the sheet).
# This notebook draws its own points with a different seed from the site's, so the scores may differ
# from the site's numbers in the second decimal place.

# %%
order = along_roll_correlation(unrolled, roll.t)
shape = distance_correlation(unrolled, roll.sheet)
straight = distance_correlation(roll.points, roll.sheet)
# ko: 숫자를 앞에 두어 줄을 맞춥니다
# en: the number first: the columns line up
print(f"{order:.3f}  {WORDS['order']}")
print(f"{shape:.3f}  {WORDS['shape']}")
print(f"{straight:.3f}  {WORDS['straight']}")

# %% [markdown] tags=["ko"]
# ## 직접 해 보기: 이웃을 너무 많이 이으면
#
# 이웃 수 `k`를 키우면, 종이의 한 겹과 그 옆 겹이 3차원에서 가깝다는 이유로 이어집니다(지름길).
# 그러면 종이 위의 거리가 망가집니다. `k`를 바꿔 가며 점수가 어떻게 되는지 봅니다.

# %% [markdown] tags=["en"]
# ## Try it: too many neighbours
#
# With a larger neighbour count `k`, one layer of the sheet gets linked to the next because they are
# close in 3-D (a short circuit), and distances on the sheet break. Watch the score as `k` grows.

# %%
for k in (5, 10, 30, 60):
    isomap.set_params(n_neighbors=k)
    embedding = isomap.fit_transform(roll.points)
    score = distance_correlation(embedding, roll.sheet)
    print(WORDS["k_score"].format(k, score))
