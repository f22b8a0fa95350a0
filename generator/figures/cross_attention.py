"""How text enters a real text-to-image model: cross-attention in Stable Diffusion 2's U-Net.

A schematic, not a trained model: the sizes are read in the official repository,
Stability-AI/stablediffusion, configs/stable-diffusion/*v2-inference-v*.yaml, unet_config:
model_channels 320, channel_mult [1, 2, 4, 4], attention_resolutions [4, 2, 1] (attention in the
blocks at 1, 1/2 and 1/4 of the latent's size), num_head_channels 64, transformer_depth 1,
context_dim 1024; the text encoder (FrozenOpenCLIPEmbedder, max_length 77) gives 77 tokens of
1,024 values. In ldm/modules/attention.py's CrossAttention the latent positions give the
queries and the text gives the keys and values: softmax(Q Kᵀ / √64) V, per head of 64 values.
"""
from __future__ import annotations

from generator.drawing import box
from generator.engine import style
from generator.engine.registry import figure

LATENT_SIDE = 96  # the 768×768 image's latent is 96×96 (txt2img.py: H / f with f = 8)
TOKENS, TEXT_WIDTH = 77, 1024  # max_length 77; context_dim 1024
HEAD_WIDTH = 64  # num_head_channels
# the blocks with attention: latent side, channels (model_channels × channel_mult)
LEVELS = ((96, 320), (48, 640), (24, 1280))


def sizes() -> dict:
    """The numbers the figure and the page quote, each computed from the config's values."""
    return {"tokens": TOKENS, "text_width": TEXT_WIDTH, "head_width": HEAD_WIDTH,
            "positions": LATENT_SIDE * LATENT_SIDE,
            "levels": [{"side": side, "positions": side * side, "channels": channels,
                        "heads": channels // HEAD_WIDTH} for side, channels in LEVELS]}


@figure("cross_attention", colours=64, narrow=True)
def cross_attention(ctx):
    import matplotlib.pyplot as plt
    from matplotlib.patches import Rectangle

    found = sizes()
    ctx.metrics.update(found)
    t = ctx.text
    fig = plt.figure(figsize=(style.NARROW_IN, 7.6) if ctx.narrow else (style.WIDE_IN - 0.2, 3.7))
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set(xlim=(0, 1), ylim=(0, 1))
    ax.axis("off")
    if ctx.narrow:  # one under another: text, attention, latent
        text_box, middle_box, grid_box = (0.08, 0.8, 0.84, 0.17), (0.08, 0.46, 0.84, 0.24), (0.3, 0.11, 0.4, 0.2)
    else:  # side by side
        text_box, middle_box, grid_box = (0.02, 0.3, 0.27, 0.45), (0.36, 0.22, 0.3, 0.6), (0.73, 0.2, 0.25, 0.25 * 8 / 3.7)
    box(ax, *text_box, [t("프롬프트", "prompt"), t(f"토큰 {TOKENS}개", f"{TOKENS} tokens"),
                        t(f"× 값 {TEXT_WIDTH:,}개", f"× {TEXT_WIDTH:,} values"),
                        t("→ 키 K, 밸류 V", "→ keys K, values V")], "#e3f0fc")
    box(ax, *middle_box, [t("교차 어텐션", "cross-attention"), "softmax(QKᵀ/√64)·V",
                          t(f"위치 하나가 토큰 {TOKENS}개에", "each position weighs"),
                          t("가중치(합 1)를 매겨", f"the {TOKENS} tokens (sum 1)"),
                          t("밸류 V를 섞어 더합니다", "and adds their mix of V")], "#fde7df")
    # the latent: a grid of positions, one of them asking (its query)
    x0, y0, width, height = grid_box
    cells = 8
    for i in range(cells):
        for j in range(cells):
            asking = (i, j) == (5, 2)
            ax.add_patch(Rectangle((x0 + j * width / cells, y0 + i * height / cells), width / cells,
                                   height / cells, facecolor=style.ACCENT if asking else "#eceff1",
                                   edgecolor="white", linewidth=1.2))
    label = t(f"잠재 위치 {LATENT_SIDE}×{LATENT_SIDE}\n= {found['positions']:,}개 → 쿼리 Q",
              f"latent positions {LATENT_SIDE}×{LATENT_SIDE}\n= {found['positions']:,} → queries Q")
    ax.text(x0 + width / 2, y0 + height + 0.03, label, ha="center", va="bottom", fontsize=style.SMALLEST_PT,
            color=style.INK, linespacing=1.3)
    arrow = {"arrowstyle": "-|>", "color": style.MUTED, "linewidth": 1.6}
    if ctx.narrow:
        ax.annotate("", xy=(0.5, middle_box[1] + middle_box[3] + 0.01), xytext=(0.5, text_box[1] - 0.01), arrowprops=arrow)
        ax.annotate("", xy=(0.5, middle_box[1] - 0.01), xytext=(0.5, y0 + height + 0.1), arrowprops=arrow)
    else:
        ax.annotate("", xy=(middle_box[0] - 0.01, 0.52), xytext=(text_box[0] + text_box[2] + 0.01, 0.52), arrowprops=arrow)
        ax.annotate("", xy=(middle_box[0] + middle_box[2] + 0.01, 0.52), xytext=(x0 - 0.01, y0 + height * 0.7),
                    arrowprops=arrow)
    levels = " · ".join(f"{level['side']}²" for level in found["levels"])
    heads = " · ".join(str(level["heads"]) for level in found["levels"])
    separator = "\n" if ctx.narrow else ", "
    ax.text(0.5, 0.01, t(f"해상도 {levels}에서{separator}헤드 {heads}개 × 폭 {HEAD_WIDTH}",
                         f"at {levels} positions{separator}with {heads} heads × {HEAD_WIDTH} values"),
            ha="center", va="bottom", fontsize=style.SMALLEST_PT, color=style.MUTED, linespacing=1.3)
    return fig
