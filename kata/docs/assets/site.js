// The docs site's own script (typedoc's `customJs`, copied to assets/custom.js).
//
// Renders the lessons' ```mermaid blocks as SVG diagrams in the browser, with the site's own copy
// of mermaid (assets/mermaid.min.js, copied there by kata/docs/build.ts): no CDN, so the site
// works offline. mermaid is loaded only on pages that have a diagram. A diagram that does not
// parse stays visible as source, under an error note, and is reported on the console (the
// browser test fails on console errors, so a broken diagram cannot go unnoticed).
(() => {
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

  // A wide diagram is scaled down to fit the column; a click shows it at full size.
  function offerFullSize(figure) {
    const svg = figure.querySelector("svg");
    const natural = Number.parseFloat(svg?.style.maxWidth ?? "");
    if (!svg || !(natural > figure.clientWidth)) return;
    figure.classList.add("kata-diagram-zoomable");
    figure.title = "Click to see the diagram at full size";
    figure.onclick = () => {
      const dialog = document.createElement("dialog");
      dialog.className = "kata-diagram-dialog";
      // The clone keeps its id: mermaid scopes the diagram's styles to it.
      const large = svg.cloneNode(true);
      large.style.maxWidth = "none";
      large.style.width = `${natural}px`;
      dialog.append(large);
      dialog.onclick = () => dialog.close();
      dialog.onclose = () => dialog.remove();
      document.body.append(dialog);
      dialog.showModal();
    };
  }

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
