/**
 * cinecluster's web page: find movies, pick a few, get recommendations with reasons, sign in and keep
 * favourites, open a movie, see taste groups and how the model was made. Plain TypeScript and the DOM,
 * routed by the URL hash; every API failure becomes a sentence and a way on.
 */
import { ApiError, callApi } from "./api.js";
import { h, mount } from "./dom.js";
import {
  type AuthConfig,
  completeHostedSignIn,
  currentSession,
  type Session,
  signIn,
  signOut,
  signUp,
  startHostedSignIn,
} from "./session.js";

interface Movie {
  readonly movieId: number;
  readonly title: string;
  readonly year?: number | null;
  readonly genres?: readonly string[];
  readonly reason?: string;
  readonly similarTo?: { readonly movieId: number; readonly title: string };
}

interface RecommendationPage {
  readonly source?: string;
  readonly tasteGroups?: readonly { clusterId: number; label: string; size: number; weight: number }[];
  readonly clusterId?: number | null;
  readonly items: readonly Movie[];
}

const main = document.getElementById("main")!;
const notice = document.getElementById("notice")!;
const account = document.getElementById("account")!;
let auth: AuthConfig | null = null;
let session: Session | null = currentSession();
const picks = new Map<number, string>(JSON.parse(sessionStorage.getItem("cinecluster.picks") ?? "[]"));
const PAGE = 10;

function savePicks(): void {
  sessionStorage.setItem("cinecluster.picks", JSON.stringify([...picks]));
}

function say(text: string): void {
  notice.textContent = text;
}

function errorBox(error: unknown): HTMLElement {
  const known =
    error instanceof ApiError ? error : new ApiError(0, "Something went wrong", "Reload the page.");
  const wayOn =
    known.status === 401
      ? h("button", { type: "button", onclick: () => showSignIn() }, "Sign in")
      : h("a", { href: "#/" }, "Back to discovering movies");
  return h(
    "div",
    { class: "error", role: "alert" },
    h("strong", {}, known.message),
    " ",
    known.hint,
    " ",
    wayOn,
  );
}

function meta(movie: Movie): string {
  const parts = [movie.year ? String(movie.year) : "", (movie.genres ?? []).join(", ")].filter(Boolean);
  return parts.join(" · ");
}

function movieCard(movie: Movie, actions: HTMLElement[] = []): HTMLElement {
  return h(
    "li",
    { class: "card", "data-movie-id": movie.movieId },
    h("h3", {}, h("a", { href: `#/movie/${movie.movieId}` }, movie.title)),
    meta(movie) ? h("div", { class: "meta" }, meta(movie)) : null,
    movie.reason ? h("div", { class: "reason" }, movie.reason) : null,
    actions.length > 0 ? h("div", { class: "actions" }, ...actions) : null,
  );
}

function personalButtons(movie: Movie, after: () => void): HTMLElement[] {
  if (!session) return [];
  const s = session;
  return [
    h(
      "button",
      {
        type: "button",
        "aria-label": `Add ${movie.title} to favourites`,
        onclick: async () => {
          try {
            await callApi(`/users/${s.userId}/favourites`, {
              method: "POST",
              body: { movieId: movie.movieId },
              token: s.token,
            });
            say(`${movie.title} is now a favourite.`);
            after();
          } catch (error) {
            main.prepend(errorBox(error));
          }
        },
      },
      "Favourite",
    ),
    h(
      "button",
      {
        type: "button",
        class: "secondary",
        "aria-label": `I have seen ${movie.title}`,
        onclick: async () => {
          try {
            await callApi(`/users/${s.userId}/dismissed`, {
              method: "POST",
              body: { movieId: movie.movieId },
              token: s.token,
            });
            say(`${movie.title} will not be recommended again.`);
            after();
          } catch (error) {
            main.prepend(errorBox(error));
          }
        },
      },
      "Seen it",
    ),
  ];
}

/** The genre filter: a group of checkboxes; a movie passes when it has any checked genre. */
async function genreFilter(onChange: () => void): Promise<HTMLFieldSetElement> {
  const box = h("fieldset", { class: "genres", id: "genres" }, h("legend", {}, "Genres (any of)"));
  try {
    const { items } = await callApi<{ items: { genre: string; movies: number }[] }>("/genres");
    for (const g of items) {
      box.append(
        h(
          "label",
          { class: "genre" },
          h("input", { type: "checkbox", value: g.genre, onchange: onChange }),
          g.genre,
        ),
      );
    }
  } catch {
    box.hidden = true; // The filter is optional: without genres the page still works.
  }
  return box;
}

function chosenGenres(box: HTMLFieldSetElement): string {
  return [...box.querySelectorAll<HTMLInputElement>("input:checked")].map((i) => i.value).join(",");
}

function pager(offset: number, count: number, go: (offset: number) => void): HTMLElement {
  return h(
    "div",
    { class: "pager" },
    h(
      "button",
      {
        type: "button",
        class: "secondary",
        disabled: offset === 0,
        onclick: () => go(Math.max(0, offset - PAGE)),
      },
      "Previous",
    ),
    h(
      "button",
      { type: "button", class: "secondary", disabled: count < PAGE, onclick: () => go(offset + PAGE) },
      "Next",
    ),
  );
}

/** The type-ahead search box: arrow keys move, Enter picks, Escape closes. */
function searchBox(onPick: (movie: Movie) => void): HTMLElement {
  const input = h("input", {
    id: "search",
    type: "search",
    autocomplete: "off",
    role: "combobox",
    "aria-autocomplete": "list",
    "aria-expanded": "false",
    "aria-controls": "suggestions",
    placeholder: "Type a title, e.g. toy story",
  });
  const list = h("ul", { id: "suggestions", class: "suggestions", role: "listbox", hidden: true });
  let items: Movie[] = [];
  let active = -1;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const render = () => {
    list.replaceChildren(
      ...items.map((movie, index) =>
        h(
          "li",
          {
            role: "option",
            id: `suggestion-${movie.movieId}`,
            "aria-selected": index === active ? "true" : "false",
            onmousedown: (event: Event) => {
              event.preventDefault();
              choose(index);
            },
          },
          movie.title,
          h("span", { class: "meta" }, ` ${(movie.genres ?? []).slice(0, 3).join(", ")}`),
        ),
      ),
    );
    list.hidden = items.length === 0;
    input.setAttribute("aria-expanded", items.length > 0 ? "true" : "false");
    if (active >= 0 && items[active])
      input.setAttribute("aria-activedescendant", `suggestion-${items[active]!.movieId}`);
    else input.removeAttribute("aria-activedescendant");
  };
  const choose = (index: number) => {
    const movie = items[index];
    if (!movie) return;
    onPick(movie);
    input.value = "";
    items = [];
    active = -1;
    render();
  };
  input.addEventListener("input", () => {
    clearTimeout(timer);
    const query = input.value.trim();
    if (query.length < 2) {
      items = [];
      render();
      return;
    }
    timer = setTimeout(async () => {
      try {
        const page = await callApi<{ items: Movie[] }>(`/movies?search=${encodeURIComponent(query)}&limit=8`);
        items = page.items;
        active = items.length > 0 ? 0 : -1;
        render();
      } catch (error) {
        items = [];
        render();
        say(error instanceof ApiError ? `${error.message}. ${error.hint}` : "Search failed.");
      }
    }, 150);
  });
  input.addEventListener("keydown", (event) => {
    if (event.key === "ArrowDown" && items.length > 0) {
      active = (active + 1) % items.length;
      render();
      event.preventDefault();
    } else if (event.key === "ArrowUp" && items.length > 0) {
      active = (active - 1 + items.length) % items.length;
      render();
      event.preventDefault();
    } else if (event.key === "Enter" && active >= 0) {
      choose(active);
      event.preventDefault();
    } else if (event.key === "Escape") {
      items = [];
      render();
    }
  });
  input.addEventListener("blur", () =>
    setTimeout(() => {
      items = [];
      render();
    }, 100),
  );
  return h("div", { class: "search" }, h("label", { for: "search" }, "Find movies you like"), input, list);
}

async function discoverView(): Promise<void> {
  const chips = h("ul", { class: "chips", "aria-label": "Your picks" });
  const results = h("section", { "aria-labelledby": "results-title" });
  const mine = h("section", { "aria-labelledby": "mine-title" });
  let offset = 0;
  const genre = await genreFilter(() => {
    offset = 0;
    void refresh();
  });
  const renderChips = () => {
    chips.replaceChildren(
      ...[...picks].map(([id, title]) =>
        h(
          "li",
          {},
          title,
          h(
            "button",
            {
              type: "button",
              class: "secondary",
              "aria-label": `Remove ${title} from picks`,
              onclick: () => {
                picks.delete(id);
                savePicks();
                renderChips();
                offset = 0;
                void refresh();
              },
            },
            "×",
          ),
        ),
      ),
    );
  };
  const save = h(
    "button",
    {
      type: "button",
      onclick: async () => {
        if (!session) return showSignIn();
        for (const id of picks.keys()) {
          await callApi(`/users/${session.userId}/favourites`, {
            method: "POST",
            body: { movieId: id },
            token: session.token,
          }).catch((error: unknown) => main.prepend(errorBox(error)));
        }
        say("Your picks are saved as favourites.");
        void refresh();
      },
    },
    "Keep my picks as favourites",
  );
  const refresh = async () => {
    const genres = chosenGenres(genre);
    if (picks.size < 3) {
      mount(
        results,
        h("h2", { id: "results-title" }, "From your picks"),
        h("p", {}, `Pick ${3 - picks.size} more movie${picks.size === 2 ? "" : "s"} to see recommendations.`),
      );
    } else {
      mount(results, h("h2", { id: "results-title" }, "From your picks"), h("p", {}, "Loading…"));
      try {
        const page = await callApi<RecommendationPage>("/recommendations", {
          method: "POST",
          body: { movieIds: [...picks.keys()], limit: PAGE, offset, ...(genres ? { genre: genres } : {}) },
        });
        mount(
          results,
          h("h2", { id: "results-title" }, "From your picks"),
          h(
            "ul",
            { class: "cards", id: "pick-results" },
            ...page.items.map((m) => movieCard(m, personalButtons(m, refresh))),
          ),
          pager(offset, page.items.length, (next) => {
            offset = next;
            void refresh();
          }),
        );
      } catch (error) {
        mount(results, h("h2", { id: "results-title" }, "From your picks"), errorBox(error));
      }
    }
    if (!session) {
      mount(mine);
      return;
    }
    try {
      const page = await callApi<RecommendationPage>(
        `/users/${session.userId}/recommendations?limit=${PAGE}${genres ? `&genre=${encodeURIComponent(genres)}` : ""}`,
        { token: session.token },
      );
      mount(
        mine,
        h("h2", { id: "mine-title" }, "For you"),
        page.clusterId !== null && page.clusterId !== undefined
          ? h("p", {}, h("a", { href: `#/group/${page.clusterId}` }, "See your taste group"))
          : null,
        h(
          "ul",
          { class: "cards", id: "my-results" },
          ...page.items.map((m) => movieCard(m, personalButtons(m, refresh))),
        ),
      );
    } catch (error) {
      mount(mine, h("h2", { id: "mine-title" }, "For you"), errorBox(error));
    }
  };
  mount(
    main,
    h("h1", {}, "Movies your taste group loves"),
    h(
      "p",
      {},
      "Pick three or more movies you like. We place you among people with similar taste and show what they love, and why.",
    ),
    searchBox((movie) => {
      picks.set(movie.movieId, movie.title);
      savePicks();
      renderChips();
      offset = 0;
      void refresh();
    }),
    chips,
    genre,
    h("div", { class: "actions" }, save),
    results,
    mine,
  );
  renderChips();
  await refresh();
}

async function favouritesView(): Promise<void> {
  if (!session) {
    mount(
      main,
      h("h1", {}, "My favourites"),
      errorBox(new ApiError(401, "You need to sign in for that", "Sign in to keep favourites.")),
    );
    return;
  }
  const s = session;
  try {
    const page = await callApi<{ items: Movie[] }>(`/users/${s.userId}/favourites?limit=100`, {
      token: s.token,
    });
    mount(
      main,
      h("h1", {}, "My favourites"),
      page.items.length === 0 ? h("p", {}, "No favourites yet: pick some on the Discover page.") : null,
      h(
        "ul",
        { class: "cards", id: "favourites" },
        ...page.items.map((movie) =>
          movieCard(movie, [
            h(
              "button",
              {
                type: "button",
                class: "secondary",
                "aria-label": `Remove ${movie.title} from favourites`,
                onclick: async () => {
                  try {
                    await callApi(`/users/${s.userId}/favourites/${movie.movieId}`, {
                      method: "DELETE",
                      token: s.token,
                    });
                    say(`${movie.title} is no longer a favourite.`);
                    void favouritesView();
                  } catch (error) {
                    main.prepend(errorBox(error));
                  }
                },
              },
              "Remove",
            ),
          ]),
        ),
      ),
    );
  } catch (error) {
    mount(main, h("h1", {}, "My favourites"), errorBox(error));
  }
}

async function movieView(id: number): Promise<void> {
  try {
    const [movie, similar] = await Promise.all([
      callApi<
        Movie & {
          ratingCount?: number;
          ratingMean?: number | null;
          favouriteCount?: number;
          links?: { imdb?: string; tmdb?: string };
        }
      >(`/movies/${id}`),
      callApi<{ items: Movie[] }>(
        `/movies/${id}/similar?limit=10${session ? `&userId=${session.userId}` : ""}`,
      ),
    ]);
    const links = movie.links ?? {};
    mount(
      main,
      h("h1", {}, movie.title),
      h("div", { class: "meta" }, meta(movie)),
      h(
        "dl",
        { class: "facts" },
        movie.ratingCount !== undefined ? h("dt", {}, "Ratings") : null,
        movie.ratingCount !== undefined
          ? h(
              "dd",
              {},
              `${movie.ratingCount}${movie.ratingMean ? `, mean ${movie.ratingMean.toFixed(1)}` : ""}`,
            )
          : null,
        movie.favouriteCount !== undefined ? h("dt", {}, "Favourites") : null,
        movie.favouriteCount !== undefined ? h("dd", {}, String(movie.favouriteCount)) : null,
      ),
      h(
        "p",
        {},
        links.imdb ? h("a", { href: links.imdb, rel: "noopener" }, "IMDb") : null,
        links.imdb && links.tmdb ? " · " : null,
        links.tmdb ? h("a", { href: links.tmdb, rel: "noopener" }, "TMDb") : null,
      ),
      h("div", { class: "actions" }, ...personalButtons(movie, () => void movieView(id))),
      h("h2", {}, "Similar movies"),
      h("ul", { class: "cards", id: "similar" }, ...similar.items.map((m) => movieCard(m))),
    );
  } catch (error) {
    mount(main, h("h1", {}, "Movie"), errorBox(error));
  }
}

interface GroupSummary {
  readonly clusterId: number;
  readonly size: number;
  readonly label?: string;
  readonly distinctiveGenres?: readonly { genre: string; lift: number }[];
  readonly distinctiveMovies?: readonly { movieId: number; title: string; likedBy: number; lift: number }[];
}

function groupCard(group: GroupSummary): HTMLElement {
  return h(
    "li",
    { class: "card" },
    h("h3", {}, h("a", { href: `#/group/${group.clusterId}` }, group.label ?? `Group ${group.clusterId}`)),
    h("div", { class: "meta" }, `${group.size} people`),
    group.distinctiveGenres?.length
      ? h(
          "div",
          {},
          `More than most: ${group.distinctiveGenres
            .slice(0, 3)
            .map((g) => `${g.genre} (×${g.lift.toFixed(1)})`)
            .join(", ")}`,
        )
      : null,
  );
}

async function groupsView(focus?: number): Promise<void> {
  try {
    const { items: clusters } = await callApi<{ items: GroupSummary[] }>("/clusters");
    const group = focus === undefined ? undefined : clusters.find((c) => c.clusterId === focus);
    if (focus !== undefined && !group)
      throw new ApiError(404, "We could not find that taste group", "Browse all groups.");
    const others = clusters.filter((c) => c.clusterId !== focus);
    mount(
      main,
      group
        ? h(
            "section",
            { id: "group" },
            h("h1", {}, group.label ?? `Taste group ${group.clusterId}`),
            h("p", {}, `${group.size} people share this taste.`),
            h("h2", {}, "Genres they love more than most"),
            h(
              "ul",
              {},
              ...(group.distinctiveGenres ?? []).map((g) =>
                h("li", {}, `${g.genre}: ${g.lift.toFixed(1)}× the average`),
              ),
            ),
            h("h2", {}, "Movies that set them apart"),
            h(
              "ul",
              {},
              ...(group.distinctiveMovies ?? [])
                .slice(0, 10)
                .map((m) =>
                  h(
                    "li",
                    {},
                    h("a", { href: `#/movie/${m.movieId}` }, m.title),
                    ` liked by ${m.likedBy} of ${group.size}`,
                  ),
                ),
            ),
          )
        : h("h1", {}, "Taste groups"),
      h("h2", {}, group ? "Other taste groups" : "Every group"),
      h("ul", { class: "cards", id: "groups" }, ...others.map(groupCard)),
    );
  } catch (error) {
    mount(main, h("h1", {}, "Taste groups"), errorBox(error));
  }
}

async function modelView(): Promise<void> {
  try {
    const model = await callApi<{
      version: string;
      trainedAt: string;
      k: number;
      users?: number;
      kSelection?: { method?: string; confidence?: string; explanation?: string; rule?: string };
      kSelectionChart?: string | null;
    }>("/model");
    const selection = model.kSelection ?? {};
    mount(
      main,
      h("h1", {}, "How the model was made"),
      h(
        "dl",
        { class: "facts", id: "model-facts" },
        h("dt", {}, "Version"),
        h("dd", {}, model.version),
        h("dt", {}, "Trained"),
        h("dd", {}, new Date(model.trainedAt).toLocaleString()),
        h("dt", {}, "Taste groups (k)"),
        h("dd", {}, String(model.k)),
        model.users !== undefined ? h("dt", {}, "People") : null,
        model.users !== undefined ? h("dd", {}, String(model.users)) : null,
        h("dt", {}, "How k was chosen"),
        h(
          "dd",
          {},
          [selection.method ?? selection.rule, selection.confidence].filter(Boolean).join(", ") || "fixed",
        ),
      ),
      selection.explanation ? h("p", {}, selection.explanation) : null,
      model.kSelectionChart
        ? h(
            "figure",
            { class: "chart" },
            h("img", {
              src: model.kSelectionChart,
              alt: `Chart of how well each k fits; k = ${model.k} was chosen`,
              id: "k-chart",
            }),
          )
        : h("p", {}, "This model was trained with a fixed k, so there is no chart."),
    );
  } catch (error) {
    mount(main, h("h1", {}, "How the model was made"), errorBox(error));
  }
}

function showSignIn(): void {
  if (auth?.mode === "hosted") {
    void startHostedSignIn(auth);
    return;
  }
  const message = h("div", { role: "alert" });
  const name = h("input", { id: "username", type: "email", autocomplete: "username", required: true });
  const password = h("input", {
    id: "password",
    type: "password",
    autocomplete: "current-password",
    required: true,
  });
  const submit = (create: boolean) => async (event: Event) => {
    event.preventDefault();
    if (!auth) return;
    try {
      session = create
        ? await signUp(auth, name.value, password.value)
        : await signIn(auth, name.value, password.value);
      say(`Signed in as ${session.name}.`);
      renderAccount();
      void route();
    } catch (error) {
      mount(message, errorBox(error));
    }
  };
  mount(
    main,
    h("h1", {}, "Sign in"),
    h(
      "form",
      { id: "sign-in", onsubmit: submit(false) },
      h(
        "fieldset",
        {},
        h("legend", {}, "Your account"),
        h("label", { for: "username" }, "E-mail"),
        name,
        h("label", { for: "password" }, "Password"),
        password,
      ),
      h(
        "div",
        { class: "actions" },
        h("button", { type: "submit" }, "Sign in"),
        h(
          "button",
          { type: "button", class: "secondary", id: "sign-up", onclick: submit(true) },
          "Create account",
        ),
      ),
    ),
    message,
  );
  name.focus();
}

function renderAccount(): void {
  if (session) {
    mount(
      account,
      h("span", {}, `Signed in as ${session.name}`),
      h(
        "button",
        {
          type: "button",
          class: "secondary",
          onclick: () => {
            session = null;
            signOut();
            renderAccount();
            void route();
          },
        },
        "Sign out",
      ),
    );
  } else {
    mount(
      account,
      h("button", { type: "button", id: "sign-in-button", onclick: () => showSignIn() }, "Sign in"),
    );
  }
}

async function route(): Promise<void> {
  const [, page, id] = location.hash.split("/");
  notice.textContent = "";
  if (page === "movie" && id) await movieView(Number(id));
  else if (page === "favourites") await favouritesView();
  else if (page === "groups") await groupsView();
  else if (page === "group" && id) await groupsView(Number(id));
  else if (page === "model") await modelView();
  else await discoverView();
  main.focus({ preventScroll: true });
}

async function start(): Promise<void> {
  try {
    const config = await callApi<{ auth?: AuthConfig }>("/config.json");
    auth = config.auth ?? null;
    const returned = auth ? await completeHostedSignIn(auth) : null;
    if (returned) session = returned;
  } catch {
    auth = null;
  }
  renderAccount();
  window.addEventListener("hashchange", () => void route());
  await route();
}

void start();
