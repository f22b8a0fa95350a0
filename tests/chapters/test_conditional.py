"""The conditional chapter: style rulers, prompts, model dependencies, guidance, the export."""
import dataclasses
import json

import numpy as np
import pytest
import torch
from shared import ROOT

from generator.data.mnist_style import slant_degrees, stroke_width, style_labels
from generator.engine import jobs, registry
from generator.engine.contexts import FigureContext, ModelContext
from generator.engine.keys import full_model_key
from generator.networks.diffusion import Denoiser, guided, sample
from generator.pipelines.prompts import (
    UNCONDITIONAL,
    WIDTH,
    Condition,
    PromptError,
    conditions_matrix,
    parse_prompt,
)
from generator.pipelines.text_to_digit import GUIDANCE_INTERVAL, Guidance, Pipeline

EXPORT = ROOT / "figures" / "conditional_playground"
MANIFEST = json.loads((ROOT / "figures" / "manifest.json").read_text(encoding="utf-8"))


def bar(width: int, lean_degrees: float = 0.0) -> np.ndarray:
    """A 28×28 image of one vertical stroke `width` pixels wide, 20 long, leaning to the right."""
    image = np.zeros((28, 28))
    for row in range(4, 24):
        centre = 14 + np.tan(np.radians(lean_degrees)) * (14 - row)  # up = to the right
        left = int(round(centre - width / 2))
        image[row, left: left + width] = 1.0
    return image


def test_stroke_width_and_slant_read_known_strokes():
    widths = stroke_width(np.stack([bar(2), bar(3), bar(5)]))
    assert widths[0] < widths[1] < widths[2]
    assert widths[1] == pytest.approx(3, abs=0.6)
    slants = slant_degrees(np.stack([bar(3), bar(3, 20), bar(3, -15)]))
    assert slants[0] == pytest.approx(0, abs=1.0)
    assert slants[1] == pytest.approx(20, abs=3.0)
    assert slants[2] == pytest.approx(-15, abs=3.0)


def test_style_labels_split_each_digit_into_thirds():
    rng = np.random.default_rng(0)
    images = np.stack([bar(int(w), lean) for w, lean in zip(rng.integers(1, 7, 300), rng.uniform(-25, 35, 300))])
    digits = np.repeat([0, 1, 2], 100)
    labels = style_labels(images, digits)
    for digit in range(3):
        mine = labels.thickness[digits == digit]
        assert mine.min() == 0 and mine.max() == 2  # thin and thick both present in every digit
    assert set(np.unique(labels.slant)) <= {0, 1, 2}
    assert np.all(labels.slant[np.abs(labels.degrees) <= 5] == 0)
    assert np.all(labels.slant[labels.degrees >= 15] == 1)


@pytest.mark.parametrize("text, lang, expected", [
    ("굵은 7", "ko", Condition(7, 2, None)),
    ("기울어진 1", "ko", Condition(1, None, 1)),
    ("가는 똑바른 숫자 4", "ko", Condition(4, 0, 0)),
    ("a thick 7", "en", Condition(7, 2, None)),
    ("A Slanted, thin one", "en", Condition(1, 0, 1)),
    ("", "en", UNCONDITIONAL),
    ("7 7", "en", Condition(7)),
    ("굵은 7을 그려 줘", "ko", Condition(7, 2, None)),
    ("일곱을 비스듬히", "ko", Condition(7, None, 1)),
    ("draw me a thick seven, please", "en", Condition(7, 2, None)),
    ("보통 굵기 7", "ko", Condition(7, 1, None)),  # how the playground writes a condition back
    ("regular thickness 7", "en", Condition(7, 1, None)),
    ("이", "ko", Condition(2)), ("굵은 이", "ko", Condition(2, 2, None)),  # 이 is two, not a particle
    ("칠", "ko", Condition(7)), ("구를", "ko", Condition(9)), ("여덟", "ko", Condition(8)),
    ("굵고 기울어진 7", "ko", Condition(7, 2, 1)), ("기타 기울기 3", "ko", Condition(3, None, 2)),
])
def test_prompts_become_conditions(text, lang, expected):
    assert parse_prompt(text, lang) == expected


@pytest.mark.parametrize("text, lang, fragment", [
    ("a fat 7", "en", "unknown word 'fat'"), ("뚱뚱한 7", "ko", "unknown word '뚱뚱한'"),
    ("thin thick 7", "en", "two different thickness"), ("7 8", "en", "two different digit"),
    ("10", "ko", "'10' is more than one digit"), ("thik 7", "en", "did you mean 'thick'"),
    ("기울어친 1", "ko", "did you mean '기울어진'")])
def test_prompts_it_cannot_read_say_what_it_knows(text, lang, fragment):
    with pytest.raises(PromptError) as error:
        parse_prompt(text, lang)
    assert fragment in str(error.value)
    if "unknown" in fragment:
        assert ("thick" if lang == "en" else "굵은") in str(error.value)


def test_condition_vectors_have_one_slot_per_block():
    vector = Condition(7, 2, None).vector()
    assert vector.shape == (WIDTH,) and vector.sum() == 3
    assert vector[7] == 1 and vector[11 + 2] == 1 and vector[15 + 3] == 1  # slant: "not said"
    batch = conditions_matrix(np.array([7, -1]), np.array([2, -1]), np.array([-1, -1]))
    assert np.array_equal(batch[0], vector)
    assert np.array_equal(batch[1], UNCONDITIONAL.vector())


def test_a_model_key_covers_the_models_it_is_trained_from(monkeypatch):
    """Changing the VAE's config changes the key of the denoiser trained on its codes, and not
    the key of a denoiser that has nothing to do with it."""
    registry.load_all()
    before = full_model_key("mnist_latent_diffusion", smoke=True)
    unrelated = full_model_key("spiral_diffusion", smoke=True)
    spec = registry.MODELS["mnist_vae"]
    monkeypatch.setitem(registry.MODELS, "mnist_vae",
                        dataclasses.replace(spec, smoke={**spec.smoke, "epochs": 3}))
    assert full_model_key("mnist_latent_diffusion", smoke=True) != before
    assert full_model_key("spiral_diffusion", smoke=True) == unrelated


def test_guidance_mixes_the_two_guesses():
    torch.manual_seed(0)
    denoiser = Denoiser(16, 2, 2, 1.0, condition_width=WIDTH)
    x, sigma = torch.randn(5, 2), torch.full((5,), 0.7)
    c, empty = torch.from_numpy(Condition(3).vector()), torch.from_numpy(UNCONDITIONAL.vector())
    with_prompt = denoiser(x, sigma, c.expand(5, -1))
    without = denoiser(x, sigma, empty.expand(5, -1))
    assert torch.allclose(guided(denoiser, c, empty, 0.0)(x, sigma), with_prompt)
    assert torch.allclose(guided(denoiser, c, empty, 2.0)(x, sigma), without + 3 * (with_prompt - without))
    start = torch.randn(5, 2)
    path = sample(guided(denoiser, c, empty, 1.0), 5, 4, None, stochastic=False, sigma_max=2.0, start=start)
    assert path.shape == (5, 5, 2) and torch.equal(path[0], start)


@pytest.fixture(scope="module")
def smoke_pipeline(tmp_path_factory):
    """The smoke models, trained by the builder in an empty cache (the VAE first, as needed)."""
    registry.load_all()
    cache, trained = tmp_path_factory.mktemp("models"), []
    models = {name: jobs.ensure_model(name, True, cache, True, trained)
              for name in ("mnist_latent_diffusion", "mnist_vae", "mnist_reader")}
    assert trained[:2] == ["mnist_vae", "mnist_latent_diffusion"]  # needed model first
    return models


def test_smoke_training_is_deterministic(smoke_pipeline):
    spec = registry.MODELS["mnist_latent_diffusion"]
    again = spec.train(spec.smoke, ModelContext(spec.name, True, True,
                                                {"mnist_vae": smoke_pipeline["mnist_vae"]}))
    for key, value in smoke_pipeline["mnist_latent_diffusion"].arrays.items():
        if key.startswith("state/"):
            assert np.array_equal(value, again.arrays[key]), key


def test_a_prompt_pulls_samples_toward_its_digit(smoke_pipeline):
    """Even the smoke model (a few seconds of training on a barely trained VAE) moves samples
    toward the prompted digit's codes: nearer than the same noise with no prompt, for most
    digits (an untrained denoiser gives ratios around 1)."""
    pipeline = Pipeline.from_context(FigureContext("test", None, True, smoke_pipeline))
    trained = smoke_pipeline["mnist_latent_diffusion"]
    codes, digits = trained.arrays["codes"], trained.arrays["digits"]
    start = pipeline.start_noise(40, "test/start")
    free = pipeline.codes(UNCONDITIONAL, 0.0, start)
    ratios = []
    for digit in range(10):
        centre = codes[digits == digit].mean(axis=0)
        asked = pipeline.codes(Condition(digit), 3.0, start)
        ratios.append(np.linalg.norm(asked - centre, axis=1).mean()
                      / np.linalg.norm(free - centre, axis=1).mean())
    assert np.median(ratios) < 0.7
    assert sum(r < 1 for r in ratios) >= 8


def test_prompts_sampled_together_equal_prompts_sampled_alone(smoke_pipeline):
    # the guidance and style figures sample all their prompts in one batch (prompt_codes)
    pipeline = Pipeline.from_context(FigureContext("t", None, True, smoke_pipeline))
    start = pipeline.start_noise(12, "test/batch")
    prompts = [Condition(7, 2), Condition(1, None, 1), Condition(4)]
    together = pipeline.prompt_codes(prompts, 3.0, start)
    for codes, condition in zip(together, prompts):
        assert np.allclose(codes, pipeline.codes(condition, 3.0, start), rtol=0, atol=1e-4)
    with pytest.raises(ValueError):
        pipeline.prompt_codes([UNCONDITIONAL], 0.0, start)


def test_numpy_reference_of_the_export_matches_torch(smoke_pipeline):
    from generator.figures.conditional_playground import prompt_denoiser, sample_exported

    context = FigureContext("prompt_denoiser", None, True, smoke_pipeline)
    files = prompt_denoiser(context)
    description = json.loads(files["json"])
    # torch with the same float16-rounded weights the browser receives
    rounded = {k: (v.astype(np.float16).astype(np.float32) if k.startswith("state/") and k.endswith(("weight", "bias")) else v)
               for k, v in smoke_pipeline["mnist_latent_diffusion"].arrays.items()}
    artifact = smoke_pipeline["mnist_latent_diffusion"].__class__(rounded, smoke_pipeline["mnist_latent_diffusion"].info)
    pipeline = Pipeline.from_context(FigureContext("t", None, True, {**smoke_pipeline, "mnist_latent_diffusion": artifact}))
    start = pipeline.start_noise(8, "test/export")
    limited = {**description, "guidance": {**description["guidance"], "interval": list(GUIDANCE_INTERVAL)}}
    for condition, weight in ((Condition(7, 2), 3.0), (UNCONDITIONAL, 0.0)):
        # as published (guidance at every σ), and with guidance limited to an interval of σ
        for exported, interval in ((description, None), (limited, GUIDANCE_INTERVAL)):
            expected = pipeline.paths(condition, Guidance(weight, interval), start,
                                      steps=description["sampler"]["steps"])
            got = sample_exported(exported, files["f16.gz"], start, condition.vector(), weight)
            assert np.abs(got - expected).max() < 1e-4, interval


def test_the_playgrounds_fewer_steps_land_where_the_figures_40_do():
    """The playground samples with fewer steps than the chapter's figures (speed on a phone); on
    the published weights its samples end within a small distance of the 40-step ones."""
    from generator.figures.conditional_playground import sample_exported
    from generator.networks.diffusion import noise_levels

    description = json.loads((EXPORT / "prompt_denoiser.json").read_text(encoding="utf-8"))
    compressed = (EXPORT / description["weights"]).read_bytes()
    forty = {**description, "sampler": {**description["sampler"], "steps": 40, "sigmas": [
        float(s) for s in noise_levels(40, description["sampler"]["sigma_max"])]}}
    assert description["sampler"]["steps"] < 40
    start = description["sampler"]["sigma_max"] * np.random.default_rng(5).standard_normal((36, 2))
    for condition in (Condition(7, 2), Condition(1, None, 1), Condition(4)):
        few = sample_exported(description, compressed, start, condition.vector(), 2.0)[-1]
        many = sample_exported(forty, compressed, start, condition.vector(), 2.0)[-1]
        assert np.percentile(np.linalg.norm(few - many, axis=1), 90) < 0.05, condition


def test_published_export_is_small_and_complete():
    description = json.loads((EXPORT / "prompt_denoiser.json").read_text(encoding="utf-8"))
    weights = (EXPORT / description["weights"]).read_bytes()
    assert len(weights) <= 300_000
    assert (EXPORT / description["decoder"]).is_file()
    assert len(description["sampler"]["sigmas"]) == description["sampler"]["steps"] + 1
    assert description["condition"]["width"] == WIDTH
    assert "굵은" in description["vocabulary"]["ko"] and "thick" in description["vocabulary"]["en"]


def test_published_numbers_meet_the_chapter_claims():
    metrics = MANIFEST["figures"]["conditional_guidance"]["metrics"]
    per_digit = metrics["class_accuracy_per_digit"]
    assert per_digit[str(metrics["worst_digit"])] == min(per_digit.values())  # the page names it
    for suffix in ("", "_8d"):
        assert metrics["class_accuracy_default" + suffix] >= 0.95
        assert min(metrics["class_accuracy_per_digit" + suffix].values()) >= 0.85
    accuracy = metrics["class_accuracy"]
    assert accuracy["0"] < accuracy["1"] < accuracy["3"]  # guidance makes it obey
    diversity = metrics["diversity"]  # "shrinks up to w = 2, stays about level to w = 4, then shrinks again"
    assert diversity["0"] > diversity["0_5"] > diversity["1"] > diversity["2"]
    assert max(abs(diversity[w] / diversity["2"] - 1) for w in ("3", "4")) <= 0.05
    assert diversity["4"] > diversity["6"] > diversity["8"]
    deep = metrics["class_accuracy_8d"]
    assert deep["1"] - accuracy["1"] >= 0.03  # "the 8-D model needs far less guidance"
    assert max(deep[w] for w in ("2", "3", "4", "6", "8")) - deep["1"] <= 0.02  # "stronger adds little"
    assert metrics["class_accuracy_default_8d"] > metrics["class_accuracy_default"]  # more room draws better...
    assert metrics["train_steps_8d"] < metrics["train_steps"]  # ...though trained for fewer steps
    assert metrics["vae_epochs_8d"] < metrics["vae_epochs"]  # ...on a VAE trained for fewer epochs
    assert metrics["hidden_8d"] < metrics["hidden"]  # ...and with a narrower network
    styles = MANIFEST["figures"]["conditional_styles"]["metrics"]
    # "guidance squeezes the samples of one prompt into less than a third of the spread" of the
    # same prompt unguided and of the real digits of that kind
    assert 3 * styles["slanted_one_spread_plain_3"] < min(styles["slanted_one_spread_unguided"],
                                                          styles["slanted_ones_spread_data"])
    # "at this chapter's default they gather a little less"
    assert styles["slanted_one_spread_plain_3"] < styles["slanted_one_spread"] < styles["slanted_one_spread_unguided"]


def test_the_chapters_default_is_the_rules_choice():
    """The default in the code (every figure and the playground use it) is the setting the
    stated rule picks from the measured trade-off on the 2-D map; the page says which."""
    from generator.pipelines.text_to_digit import DEFAULT_GUIDANCE

    chosen = MANIFEST["figures"]["conditional_guidance_tradeoff"]["metrics"]["2d"]["chosen"]
    assert chosen["kind"] == ("interval" if DEFAULT_GUIDANCE.interval else "plain") == "plain"  # the page: "plain"
    assert chosen["w"] == DEFAULT_GUIDANCE.w
    playground = json.loads((EXPORT / "prompt_denoiser.json").read_text(encoding="utf-8"))
    assert playground["guidance"]["default"] == DEFAULT_GUIDANCE.w and playground["guidance"]["interval"] is None


def test_the_rule_picks_the_most_varied_setting_that_passes():
    from generator.figures.conditional_tradeoff import LIMITED, PLAIN, choose, weight_key

    good = {"cnn": 0.99, "cnn_worst_digit": 0.95, "linear": 0.99, "linear_worst_digit": 0.95, "inside": 0.99}
    space = {kind: {weight_key(w): {**good, "variety": 0.5} for w in weights}
             for kind, weights in (("plain", PLAIN), ("interval", LIMITED))}
    space["interval"]["2"] = {**good, "variety": 0.8}
    space["plain"]["1"] = {**good, "variety": 0.9, "cnn_worst_digit": 0.85}  # fails: a digit below 90 %
    space["plain"]["0_5"] = {**good, "variety": 0.95, "inside": 0.9}  # fails: outside the data
    assert (choose(space)["kind"], choose(space)["w"]) == ("interval", 2.0)
    for found in (*space["plain"].values(), *space["interval"].values()):
        found["linear"] = 0.9  # no setting passes
    assert choose(space) == {"kind": None}


def test_published_trade_off_meets_the_page():
    """conditional.md, "Guidance that loses less variety": the default beats the old w = 3 on
    variety (styled prompts too) and passes the rule; guidance in an interval did not win in
    2-D; the 2-D decoder caps accuracy below 95 % even for real codes, the 8-D one does not;
    strong guidance pushes 8-D samples out of the data."""
    from generator.figures.conditional_tradeoff import passes

    found = MANIFEST["figures"]["conditional_guidance_tradeoff"]["metrics"]
    flat, deep = found["2d"], found["8d"]
    assert passes(flat["chosen"]) and passes(deep["chosen"])
    assert flat["chosen"]["variety"] > flat["plain"]["3"]["variety"]
    assert flat["chosen"]["styled_variety"] > flat["plain"]["3"]["styled_variety"]
    assert flat["interval"]["8"]["variety"] < flat["chosen"]["variety"]
    assert max(flat["real_codes"].values()) < 0.95 <= min(flat["chosen"]["cnn"], flat["chosen"]["linear"])
    assert min(deep["real_codes"].values()) > max(flat["real_codes"].values())
    assert deep["chosen"]["variety"] > flat["chosen"]["variety"]
    assert deep["plain"]["6"]["inside"] < 0.95


def test_cross_attention_sizes_follow_from_the_config():
    """The page's cross-attention numbers come from Stable Diffusion 2's unet_config: channels
    320 × channel_mult at the blocks with attention, heads of 64, 77 tokens of 1,024."""
    metrics = MANIFEST["figures"]["cross_attention"]["metrics"]
    assert metrics["positions"] == 96 * 96 and metrics["tokens"] == 77 and metrics["text_width"] == 1024
    assert [level["channels"] for level in metrics["levels"]] == [320 * m for m in (1, 2, 4)]
    assert [level["heads"] for level in metrics["levels"]] == [5, 10, 20]
    assert [level["side"] for level in metrics["levels"]] == [96, 48, 24]
