// Animations the reader can play, pause and step through. Every <img class="frame-player"> is
// the first frame of an animation figure (generator/engine/animation.py writes it, with a sprite
// sheet of all frames and a description beside it: name.frames.webp, name.frames.json). Once
// the reader comes near, the image gives way to a canvas that plays the frames, with a play /
// pause button, a slider over the steps (arrow keys, a finger), and the current step in words.
// It plays while it is on screen, unless the reader asked for reduced motion; it stops off
// screen. Without JavaScript the first frame stays, as a still.
(function () {
  "use strict";
  var kit = window.WidgetKit;
  var WORDS = {
    ko: { play: "재생", pause: "멈춤", step: "장면", failed: "애니메이션을 불러오지 못했습니다." },
    en: { play: "Play", pause: "Pause", step: "Frame", failed: "The animation could not be loaded." },
  };
  var players = window.framePlayers = window.framePlayers || [];

  // name.webp (or name.narrow.ko.webp) -> the sheet and the description beside it
  function besides(source) {
    var base = source.replace(/\.webp(\?.*)?$/, "");
    return { sheet: base + ".frames.webp", description: base + ".frames.json" };
  }

  async function loadAnimation(source) {
    var urls = besides(source);
    var description = await (await fetch(urls.description)).json();
    var sheet = new Image();
    sheet.src = urls.sheet;
    await sheet.decode();
    return { description: description, sheet: sheet, source: source };
  }

  function build(img) {
    var lang = kit.language(), words = WORDS[lang], element = kit.element;
    var holder = img.parentElement && img.parentElement.tagName === "PICTURE" ? img.parentElement : img;
    // the still, with the zoom link around it (mkdocs-glightbox): the player goes after the link,
    // so that a tap on its buttons opens no lightbox, and the link hides with the still
    var still = holder.parentElement && holder.parentElement.tagName === "A" ? holder.parentElement : holder;
    var box = element("div", "frame-player-box");
    var canvas = element("canvas", "frame-player-box__canvas");
    canvas.setAttribute("role", "img");
    canvas.setAttribute("aria-label", img.alt);
    if (img.getAttribute("width")) canvas.style.maxWidth = img.getAttribute("width") + "px";
    var controls = element("div", "frame-player-box__controls");
    var button = element("button", "frame-player-box__play pill", words.play);
    button.type = "button";
    var slider = element("input");
    slider.type = "range";
    slider.min = 0;
    slider.step = 1;
    slider.value = 0;
    slider.setAttribute("aria-label", words.step);
    var label = element("output", "frame-player-box__label");
    controls.append(button, slider, label);
    box.append(canvas, controls);

    // the file the page would show now: the phone layout's <source> when its media query holds
    function chosenSource() {
      var source = holder.tagName === "PICTURE" ? holder.querySelector("source") : null;
      if (source && window.matchMedia(source.media).matches) return new URL(source.srcset, document.baseURI).href;
      return img.src;
    }
    var state = { loaded: null, index: 0, direction: 1, playing: false, timer: null, visible: false, wanted: true };
    var context = canvas.getContext("2d");
    function draw(index) { // one entry of the sequence: its frame from the sheet, its words
      var d = state.loaded.description, entry = d.frames[index];
      var column = entry[0] % d.columns, row = Math.floor(entry[0] / d.columns);
      context.drawImage(state.loaded.sheet, column * d.frame_width, row * d.frame_height, d.frame_width,
                        d.frame_height, 0, 0, d.frame_width, d.frame_height);
      state.index = index;
      slider.value = index;
      label.textContent = d.labels[lang][index];
      slider.setAttribute("aria-valuetext", d.labels[lang][index]);
    }
    // the entry after this one: from the end back to the start, or (bounce) back and forth
    function following() {
      var d = state.loaded.description, last = d.frames.length - 1, next = state.index + state.direction;
      if (next >= 0 && next <= last) return next;
      if (!d.bounce) return 0;
      state.direction = -state.direction;
      return Math.max(0, Math.min(last, state.index + state.direction));
    }
    function schedule() { // the next entry, after this one's time
      clearTimeout(state.timer);
      if (!state.playing) return;
      var d = state.loaded.description;
      state.timer = setTimeout(function () { draw(following()); schedule(); }, d.frames[state.index][1]);
    }
    function setPlaying(playing) {
      state.playing = playing && state.visible;
      button.textContent = playing ? words.pause : words.play; // (its name says what a press does)
      schedule();
    }
    button.addEventListener("click", function () { state.wanted = !state.wanted; setPlaying(state.wanted); });
    slider.addEventListener("input", function () { // stepping by hand stops the playing
      state.wanted = false;
      setPlaying(false);
      draw(Number(slider.value));
    });
    function show(loaded) { // a (new) animation: the phone's or the wide one, as the image chose
      state.loaded = loaded;
      var d = loaded.description;
      canvas.width = d.frame_width;
      canvas.height = d.frame_height;
      slider.max = d.frames.length - 1;
      draw(Math.min(state.index, d.frames.length - 1));
      if (!box.isConnected) {
        still.after(box);
        still.style.display = "none"; // the still gives way to the player (the theme's CSS
        watch();                      // would show an element that is only `hidden`)
      }
      setPlaying(state.wanted);
    }
    function watch() { // play only while at least a quarter of the player is on screen
      if (!("IntersectionObserver" in window)) { state.visible = true; return; }
      new IntersectionObserver(function (entries) {
        state.visible = entries[entries.length - 1].isIntersecting;
        setPlaying(state.wanted);
      }, { threshold: 0.25 }).observe(box);
    }
    if (window.matchMedia("(prefers-reduced-motion: reduce)").matches) state.wanted = false;
    window.addEventListener("resize", function () { // the phone layout and the wide one differ
      var source = chosenSource();
      if (state.loaded && source !== state.loaded.source) loadAnimation(source).then(show);
    });
    return loadAnimation(chosenSource()).then(function (loaded) {
      show(loaded);
      return { play: function () { state.wanted = true; setPlaying(true); },
               pause: function () { state.wanted = false; setPlaying(false); },
               step: function (index) { draw(index); }, following: following, state: state, box: box };
    });
  }

  kit.whenParsed(function () {
    document.querySelectorAll("img.frame-player").forEach(function (img) {
      var started = null, entry = { element: img, load: load, instance: null };
      function load() {
        if (!started) {
          started = build(img).then(function (instance) { entry.instance = instance; return instance; })
            .catch(function (error) {
              var note = kit.element("p", "frame-player-box__failed", WORDS[kit.language()].failed);
              img.after(note);
              throw error;
            });
        }
        return started;
      }
      kit.whenNear(img, load);
      players.push(entry);
    });
  });
})();
