"""The pipeline at a glance: our miniature text-to-digit model beside a real 768×768 one.

Every size of our model is counted from the trained networks. Every size of Stable Diffusion 2
(the "768-v" model) was read in its official repository, Stability-AI/stablediffusion
(README.md: "downsampling-factor 8 autoencoder with an 865M UNet and OpenCLIP ViT-H/14 text
encoder", "produces 768x768 px outputs"; configs/stable-diffusion/v2-inference-v.yaml:
z_channels 4, context_dim 1024; ldm/modules/encoders/modules.py: max_length 77;
scripts/txt2img.py: 50 DDIM steps and guidance scale 9.0 by default, where the code's
scale s mixes eps(empty) + s·(eps(cond) − eps(empty)), i.e. our w = s − 1). The latent size
96×96×4 is txt2img.py's own shape [C, H/f, W/f] for H = W = 768, f = 8.
"""
from __future__ import annotations

from generator.drawing import box
from generator.engine import style
from generator.engine.registry import figure
from generator.pipelines.prompts import WIDTH, Condition
from generator.pipelines.text_to_digit import DEFAULT_GUIDANCE, MODELS, STEPS, Pipeline

SD_PIXELS = 768 * 768 * 3
SD_LATENT = 96 * 96 * 4
SD_UNET_PARAMETERS = "865M"  # README: "an 865M UNet"
SD_STEPS, SD_SCALE = 50, 9.0  # txt2img.py defaults: --steps 50, --scale 9.0


def parameters(artifact, prefix: str = "state/") -> int:
    """Trained weights and biases under `prefix` (fixed buffers such as frequencies excluded)."""
    return int(sum(v.size for k, v in artifact.arrays.items()
                   if k.startswith(prefix) and k.endswith((".weight", ".bias"))))


def wrap(line: str, ems: float) -> list[str]:
    """Break a line into pieces at most `ems` wide (a Hangul syllable ≈ 1 em, other ≈ 0.58)."""
    pieces, current = [], ""
    for word in line.split(" "):
        trial = f"{current} {word}".strip()
        if current and sum(1.0 if "가" <= ch <= "힣" else 0.58 for ch in trial) > ems:
            pieces.append(current)
            current = word
        else:
            current = trial
    return pieces + ([current] if current else [])


@figure("conditional_pipeline", models=MODELS, colours=96, narrow=True)
def conditional_pipeline(ctx):
    pipeline = Pipeline.from_context(ctx)
    denoiser = parameters(ctx.model("mnist_latent_diffusion"))
    decoder = parameters(ctx.model("mnist_vae"), "state/decoder.")
    ctx.metrics.update({"denoiser_parameters": denoiser, "decoder_parameters": decoder,
                        "sd_latent_values": SD_LATENT, "sd_pixel_values": SD_PIXELS,
                        "latent_ratio_sd": round(SD_PIXELS / SD_LATENT, 1),
                        "latent_ratio_ours": round(784 / 2, 1)})
    stages = stage_lines(ctx, denoiser, decoder)
    if ctx.narrow:  # the same boxes, half as wide: every line wrapped to fit
        stages = [(title, sum((wrap(line, 11.5) for line in ours), []) if ours != [ours[0], ""] else ours,
                   sum((wrap(line, 11.5) for line in theirs), [])) for title, ours, theirs in stages]
    return draw_pipeline(ctx, pipeline, stages)


def stage_lines(ctx, denoiser: int, decoder: int) -> list[tuple[str, list[str], list[str]]]:
    """Each stage: its title, the lines of our model's box, the lines of Stable Diffusion's."""
    t = ctx.text
    within = (f" (σ {DEFAULT_GUIDANCE.interval[0]:g}–{DEFAULT_GUIDANCE.interval[1]:g})"
              if DEFAULT_GUIDANCE.interval else "")
    return [
        (t("프롬프트", "prompt"), [t("“굵은 7”", "“a thick 7”")],
         [t("“창가에서 잠든 고양이”", "“a cat asleep by the window”")]),
        (t("글 → 조건", "text → condition"), [t("단어 사전", "a small vocabulary"), t(f"조건 벡터 {WIDTH}개 값", f"condition: {WIDTH} numbers")],
         [t("텍스트 인코더 (OpenCLIP ViT-H/14)", "text encoder (OpenCLIP ViT-H/14)"), t("토큰 77개 × 1,024개\u00a0값", "77 tokens × 1,024\u00a0numbers")]),
        (t("잠재공간에서 노이즈 제거", "denoising in latent space"),
         [t("잠재벡터 2개 값", "latent: 2 numbers"), t(f"MLP 매개변수 {denoiser:,}개", f"MLP, {denoiser:,} parameters"),
          t(f"{STEPS}단계, w = {DEFAULT_GUIDANCE.w:g}{within}", f"{STEPS} steps, w = {DEFAULT_GUIDANCE.w:g}{within}")],
         [t(f"잠재 96×96×4 = {SD_LATENT:,}개 값", f"latent 96×96×4 = {SD_LATENT:,} numbers"),
          t("U-Net 매개변수 8억\u00a06,500만\u00a0개", "U-Net, 865\u00a0million parameters"),
          t(f"{SD_STEPS}단계, w = {SD_SCALE - 1:g} (scale\u00a0{SD_SCALE:g})", f"{SD_STEPS} steps, w = {SD_SCALE - 1:g} (scale\u00a0{SD_SCALE:g})")]),
        (t("디코더: 잠재벡터 → 이미지", "decoder: latent → image"),
         [t(f"VAE 디코더 매개변수 {decoder:,}개", f"VAE decoder, {decoder:,} parameters")],
         [t("오토인코더 디코더, 가로세로 8배", "autoencoder decoder, 8× per side")]),
        (t("이미지", "image"), [t("28×28 = 784개 값", "28×28 = 784 numbers"), ""],
         [t(f"768×768×3 = {SD_PIXELS:,}개 값", f"768×768×3 = {SD_PIXELS:,} numbers")]),
    ]


def draw_pipeline(ctx, pipeline: Pipeline, stages: list):
    """The two columns of boxes joined by arrows, and a real sample in our image box."""
    import matplotlib.pyplot as plt

    t = ctx.text
    fig = plt.figure(figsize=(style.NARROW_IN, 10.5) if ctx.narrow else (6.4, 7.9))
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set(xlim=(0, 1), ylim=(0, 1))
    ax.axis("off")
    ax.text(0.26, 0.975, t("이 장의 작은 모델", "this chapter's\nmodel" if ctx.narrow else "this chapter's model"),
            ha="center", va="top",
            fontsize=13, weight="bold", color=style.ACCENT)
    ax.text(0.74, 0.975, "Stable Diffusion 2\n(768-v)" if ctx.narrow else "Stable Diffusion 2 (768-v)",
            ha="center", va="top", fontsize=13, weight="bold", color="#1e88e5")
    # the first stage's title sits below the two column headers, never between them
    row_height, gap, top = (0.145, 0.04, 0.895) if ctx.narrow else (0.137, 0.05, 0.9)
    for index, (title, ours, theirs) in enumerate(stages):
        y = top - index * (row_height + gap) - row_height
        ax.text(0.5, y + row_height + 0.012, title, ha="center", va="bottom", fontsize=12,
                color=style.MUTED)
        box(ax, 0.02, y, 0.46, row_height, ours, "#fde7df", bold_first=False)
        box(ax, 0.52, y, 0.46, row_height, theirs, "#e3f0fc", bold_first=False)
        if index < len(stages) - 1:  # (on a phone, near the outer edges: clear of the stage's title)
            for x in ((0.07, 0.93) if ctx.narrow else (0.25, 0.75)):
                ax.annotate("", xy=(x, y - gap + 0.012), xytext=(x, y - 0.004),
                            arrowprops={"arrowstyle": "-|>", "color": style.MUTED, "linewidth": 1.4})
    # a real sample of the small model, drawn in its image box
    image = pipeline.decode(pipeline.codes(Condition(7, 2), DEFAULT_GUIDANCE,
                                           pipeline.start_noise(1, f"figure/{ctx.name}/seven")))[0]
    inset_size = (0.12, 0.05) if ctx.narrow else (0.08, 0.062)
    inset = fig.add_axes((0.25 - inset_size[0] / 2, top - 4 * (row_height + gap) - row_height + 0.012)
                         + inset_size)
    inset.imshow(image, cmap="gray_r", vmin=0, vmax=1)
    inset.set(xticks=[], yticks=[])
    inset.spines[:].set_color(style.GRID)
    return fig
