// The docs site's own script (typedoc's `customJs`, copied to assets/custom.js).
//
// Renders the lessons' ```mermaid blocks as SVG diagrams in the browser, with the site's own copy
// of mermaid (assets/mermaid.min.js, copied there by kata/docs/build.ts): no CDN, so the site
// works offline. mermaid is loaded only on pages that have a diagram. A diagram that does not
// parse stays visible as source, under an error note, and is reported on the console (the
// browser test fails on console errors, so a broken diagram cannot go unnoticed).
(() => {
  // typedoc's sidebar puts each module's link inside the <summary> that folds it: a control in a
  // control, which screen readers announce badly (axe: nested-interactive). The summary keeps the
  // name as text and folds the section; the link becomes the section's first entry, "Overview".
  const flattenNav = () => {
    for (const link of document.querySelectorAll("#tsd-nav-container summary a[href]")) {
      const summary = link.closest("summary");
      const list = summary?.parentElement?.querySelector(":scope > .tsd-accordion-details > ul");
      if (!summary || !list) continue;
      const name = document.createElement("span");
      name.className = "kata-nav-name";
      name.append(...link.childNodes);
      link.replaceWith(name);
      link.replaceChildren(document.createTextNode("Overview"));
      const item = document.createElement("li");
      item.append(link);
      list.prepend(item);
    }
  };
  const nav = document.getElementById("tsd-nav-container");
  if (nav) new MutationObserver(flattenNav).observe(nav, { childList: true, subtree: true });
  flattenNav();

  // A table wider than the text column scrolls inside a box of its own (site.css .kata-scroll)
  // instead of widening the page or printing over the "On This Page" panel. A box that scrolls
  // can be focused, so a keyboard user can scroll it too (axe: scrollable-region-focusable).
  const boxes = [...document.querySelectorAll(".tsd-typography table")].map((table) => {
    const box = document.createElement("div");
    box.className = "kata-scroll";
    table.replaceWith(box);
    box.append(table);
    return box;
  });
  const markScrolling = () => {
    for (const box of boxes) {
      if (box.scrollWidth > box.clientWidth + 1) {
        box.tabIndex = 0;
        box.setAttribute("role", "region");
        const head = box.querySelector("th")?.textContent?.trim() || "";
        const index = boxes.indexOf(box) + 1;
        box.setAttribute(
          "aria-label",
          `Table ${index}${head ? ` (${head})` : ""}: scroll sideways`,
        );
      } else {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
      }
    }
  };
  // A ResizeObserver sees the page shown (typedoc hides it until set up) and every resize.
  if (boxes.length > 0) new ResizeObserver(markScrolling).observe(document.body);

  const blocks = [...document.querySelectorAll("pre > code.mermaid, pre > code.language-mermaid")];
  if (blocks.length === 0) return;

  const here = document.currentScript?.src ?? document.baseURI;
  const mermaidUrl = new URL("mermaid.min.js", here).href;

  /** Each diagram's source and the element that shows it. */
  const diagrams = blocks.map((code, i) => {
    const figure = document.createElement("figure");
    figure.className = "kata-diagram";
    figure.dataset.diagram = String(i + 1);
    figure.setAttribute("aria-busy", "true");
    const pre = code.parentElement;
    pre.replaceWith(figure);
    figure.append(pre);
    return { source: code.textContent ?? "", figure };
  });

  const darkMode = () => {
    const theme = document.documentElement.dataset.theme;
    if (theme === "dark") return true;
    if (theme === "light") return false;
    return window.matchMedia("(prefers-color-scheme: dark)").matches;
  };

  const loadMermaid = () =>
    new Promise((resolve, reject) => {
      if (window.mermaid) return resolve(window.mermaid);
      const script = document.createElement("script");
      script.src = mermaidUrl;
      script.onload = () => resolve(window.mermaid);
      script.onerror = () => reject(new Error(`could not load ${mermaidUrl}`));
      document.head.append(script);
    });

  // typedoc keeps the page hidden until its own script has set it up; text cannot be measured
  // in a hidden page, so wait until it shows.
  const pageShown = () =>
    new Promise((resolve) => {
      const started = performance.now();
      const check = () => {
        if (document.body.style.display !== "none" || performance.now() - started > 3000) {
          resolve();
        } else {
          requestAnimationFrame(check);
        }
      };
      check();
    });

  // A wide diagram is scaled down to fit the column, but never so far that its text (16 px in
  // mermaid) reads below `readableScale` of that: past it, the diagram keeps a readable width and
  // scrolls inside its figure. A click (or Enter) shows it at full size in a dialog.
  const readableScale = 0.75;
  function offerFullSize(figure) {
    const svg = figure.querySelector("svg");
    // mermaid sets the natural width as an inline max-width: keep it, and let the column win.
    if (svg && !svg.dataset.natural) {
      svg.dataset.natural = String(Number.parseFloat(svg.style.maxWidth) || 0);
      svg.style.maxWidth = "100%";
    }
    const natural = Number(svg?.dataset.natural);
    figure.querySelector(".kata-diagram-hint")?.remove();
    figure.classList.remove("kata-diagram-zoomable", "kata-diagram-scrolls");
    figure.removeAttribute("tabindex");
    if (!svg || !(natural > figure.clientWidth)) return;
    const readable = Math.round(natural * readableScale);
    const scrolls = readable > figure.clientWidth;
    svg.style.width = scrolls ? `${readable}px` : "";
    svg.style.maxWidth = scrolls ? "none" : "100%";
    figure.classList.toggle("kata-diagram-scrolls", scrolls);
    figure.classList.add("kata-diagram-zoomable");
    figure.title = "Click to see the diagram at full size";
    figure.tabIndex = 0;
    figure.setAttribute("role", "group");
    figure.setAttribute(
      "aria-label",
      scrolls
        ? "Diagram, wider than the column: scroll sideways, or press Enter for full size"
        : "Diagram, scaled to fit: press Enter for full size",
    );
    const hint = document.createElement("p");
    hint.className = "kata-diagram-hint";
    hint.textContent = scrolls
      ? "Scroll sideways to see the whole diagram, or click it for full size."
      : "Click the diagram to see it at full size.";
    figure.after(hint);
    const show = () => {
      const dialog = document.createElement("dialog");
      dialog.className = "kata-diagram-dialog";
      dialog.setAttribute("aria-label", "Diagram at full size");
      const bar = document.createElement("div");
      bar.className = "kata-diagram-dialog-bar";
      const note = document.createElement("span");
      note.textContent = "Full size: scroll to see all of it.";
      const close = document.createElement("button");
      close.type = "button";
      close.textContent = "Close";
      close.onclick = () => dialog.close();
      bar.append(note, close);
      const view = document.createElement("div");
      view.className = "kata-diagram-dialog-view";
      view.tabIndex = 0;
      view.setAttribute("role", "group");
      view.setAttribute("aria-label", "Diagram at full size, scrollable");
      // The clone keeps its id: mermaid scopes the diagram's styles to it.
      const large = svg.cloneNode(true);
      large.style.maxWidth = "none";
      large.style.minWidth = "";
      large.style.width = `${natural}px`;
      view.append(large);
      dialog.append(bar, view);
      // A click on the backdrop (outside the dialog's box) closes it.
      dialog.onclick = (event) => {
        if (event.target === dialog) dialog.close();
      };
      dialog.onclose = () => dialog.remove();
      document.body.append(dialog);
      dialog.showModal();
      close.focus();
    };
    figure.onclick = show;
    figure.onkeydown = (event) => {
      if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        show();
      }
    };
  }

  // Re-fit the diagrams when the column changes width (a window resized, a phone turned).
  let refit;
  window.addEventListener("resize", () => {
    clearTimeout(refit);
    refit = setTimeout(() => {
      for (const { figure } of diagrams) if (figure.querySelector("svg")) offerFullSize(figure);
    }, 150);
  });

  let renders = 0;
  async function renderAll() {
    const mermaid = await loadMermaid();
    mermaid.initialize({
      startOnLoad: false,
      securityLevel: "strict",
      theme: darkMode() ? "dark" : "default",
      fontFamily: "inherit",
    });
    for (const [i, diagram] of diagrams.entries()) {
      const id = `kata-diagram-${i + 1}-${++renders}`;
      try {
        const { svg } = await mermaid.render(id, diagram.source);
        diagram.figure.innerHTML = svg;
        diagram.figure.classList.remove("kata-diagram-error");
        offerFullSize(diagram.figure);
      } catch (error) {
        document.getElementById(id)?.remove();
        document.getElementById(`d${id}`)?.remove();
        // mermaid's parse errors end with a long list of the tokens it expected: keep the line
        // number, the text and the caret that points at the culprit.
        const reason = String(error?.message ?? error)
          .split("\n")
          .filter((line) => !line.startsWith("Expecting "))
          .join("\n");
        diagram.figure.classList.add("kata-diagram-error");
        const note = document.createElement("p");
        note.textContent = "This diagram does not parse:";
        const why = document.createElement("pre");
        why.textContent = reason;
        const pre = document.createElement("pre");
        pre.textContent = diagram.source;
        diagram.figure.replaceChildren(note, why, pre);
        console.error(`mermaid diagram ${i + 1} on ${location.pathname}: ${reason}`);
      }
      diagram.figure.removeAttribute("aria-busy");
    }
  }

  pageShown()
    .then(renderAll)
    .catch((error) => console.error(`mermaid: ${error?.message ?? error}`));

  // Follow typedoc's theme switch (Settings → Theme) and the system's light/dark preference.
  document.getElementById("tsd-theme")?.addEventListener("change", () => {
    setTimeout(() => renderAll().catch((error) => console.error(`mermaid: ${error}`)), 0);
  });
  window.matchMedia("(prefers-color-scheme: dark)").addEventListener("change", () => {
    renderAll().catch((error) => console.error(`mermaid: ${error}`));
  });
})();
