/**
 * The widget's stylesheet, inside its shadow root: the host page's rules cannot reach in and these cannot
 * leak out. `--c` is the inbox colour, `--on` the text colour readable on it.
 */
export const CSS = `
:host{all:initial}
.ah,.ah *{box-sizing:border-box}
.ah{position:fixed;bottom:20px;right:20px;z-index:2147483647;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:#1f2328;text-align:left;-webkit-font-smoothing:antialiased}
.ah[data-pos=left]{right:auto;left:20px}
[hidden]{display:none!important}
button,input,textarea{font:inherit;color:inherit;margin:0}
button{cursor:pointer}
:focus-visible{outline:3px solid var(--c);outline-offset:2px}
.sr{position:absolute!important;width:1px;height:1px;padding:0;margin:-1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;border:0}
svg{width:22px;height:22px;fill:none;stroke:currentColor;stroke-width:2;stroke-linecap:round;stroke-linejoin:round}
.launcher{position:relative;width:58px;height:58px;border:0;border-radius:50%;background:var(--c);color:var(--on);display:grid;place-items:center;box-shadow:0 4px 16px rgba(0,0,0,.22);margin-left:auto}
.ah[data-pos=left] .launcher{margin-left:0}
.launcher svg{width:26px;height:26px}
.launcher:focus-visible{outline-color:#1f2328}
.badge{position:absolute;top:-4px;right:-4px;min-width:22px;height:22px;padding:0 6px;border-radius:11px;background:#d1242f;color:#fff;font-size:12px;font-weight:700;line-height:22px;text-align:center;border:2px solid #fff}
.panel{position:absolute;bottom:74px;right:0;width:372px;height:min(600px,calc(100vh - 110px));display:flex;flex-direction:column;background:#fff;border-radius:14px;box-shadow:0 10px 40px rgba(0,0,0,.25);overflow:hidden}
.ah[data-pos=left] .panel{right:auto;left:0}
@media (max-width:480px){.panel{position:fixed;inset:0;width:auto;height:auto;border-radius:0}.open .launcher{display:none}}
.head{display:flex;align-items:center;gap:10px;padding:14px 14px 14px 16px;background:var(--c);color:var(--on)}
.head img{width:36px;height:36px;border-radius:50%;object-fit:cover;background:rgba(255,255,255,.3)}
.head div{flex:1;min-width:0}
.head h2{margin:0;font-size:16px;font-weight:650;line-height:1.25;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.head p{margin:0;font-size:12px;opacity:.9}
.icon{width:36px;height:36px;border:0;border-radius:8px;background:transparent;color:inherit;display:grid;place-items:center;flex:none}
.icon:hover{background:rgba(127,127,127,.18)}
.head .icon:focus-visible{outline-color:var(--on)}
.notice{padding:6px 16px;background:#fff8c5;color:#4d2d00;font-size:12px;border-bottom:1px solid #eed888}
.body{position:relative;flex:1;overflow-y:auto;padding:14px 14px 4px;background:#f6f8fa;display:flex;flex-direction:column;gap:8px}
.log{list-style:none;margin:0;padding:0;display:flex;flex-direction:column;gap:8px}
.msg{display:flex;flex-direction:column;align-items:flex-start;max-width:85%}
.msg.me{align-self:flex-end;align-items:flex-end}
.msg.sys{align-self:center;align-items:center;max-width:100%;color:#59636e;font-size:12px;text-align:center}
.who{font-size:11px;color:#59636e;margin:0 4px 2px}
.bubble{padding:8px 12px;border-radius:14px;background:#fff;border:1px solid #d1d9e0;white-space:pre-wrap;overflow-wrap:anywhere}
.me .bubble{background:var(--c);color:var(--on);border-color:transparent}
.me .bubble a{color:inherit}
.sys .bubble{background:transparent;border:0;padding:2px 8px}
.bubble a{color:#0969da;text-decoration:underline}
.files{list-style:none;margin:6px 0 0;padding:0}
.files li{display:flex;align-items:center;gap:4px}.files li+li{margin-top:2px}.files svg{width:14px;height:14px;flex:none}
.state{font-size:11px;color:#59636e;margin:2px 4px 0;min-height:0}
.state.bad{color:#d1242f}
.greet .bubble{background:#fff}
.end{display:flex;flex-direction:column;gap:8px}
.typing{font-size:12px;color:#59636e;font-style:italic;padding:0 4px;min-height:18px}
.box{background:#fff;border:1px solid #d1d9e0;border-radius:10px;padding:12px;display:flex;flex-direction:column;gap:8px}
.box h3{margin:0;font-size:15px}
.box p{margin:0}
label.f{display:flex;flex-direction:column;gap:3px;font-size:12px;font-weight:600;color:#393f46}
label.f input,label.f textarea{font-weight:400;font-size:14px;padding:7px 9px;border:1px solid #b7c0c9;border-radius:7px;background:#fff;width:100%}
label.f textarea{resize:vertical;min-height:64px}
[aria-invalid=true]{border-color:#d1242f!important}
.btn{border:0;border-radius:8px;padding:8px 14px;background:var(--c);color:var(--on);font-weight:600;align-self:flex-start}
.btn:disabled{opacity:.6;cursor:default}
.btn.alt{background:#eef1f4;color:#1f2328}
.err{margin:0 14px 6px;color:#d1242f;font-size:12px}
.err:empty{display:none}
.box .err{margin:0}
.tree .tx{white-space:pre-line;overflow-wrap:anywhere}
.choices{display:flex;flex-direction:column;gap:6px}
.choices .btn{align-self:stretch;text-align:left}
.tree h3:focus{outline:none}
.tree .box .box{border:0;padding:0}
.foot{border-top:1px solid #d1d9e0;background:#fff}
.compose{position:relative;display:flex;align-items:flex-end;gap:6px;padding:8px}
.compose textarea{flex:1;resize:none;border:1px solid #b7c0c9;border-radius:10px;padding:8px 10px;max-height:120px;min-height:38px;background:#fff}
.compose .icon{color:#59636e}
.compose .send{background:var(--c);color:var(--on)}
.compose .send:hover{background:var(--c);filter:brightness(.92)}
.upload{display:flex;align-items:center;gap:8px;padding:6px 12px 0;font-size:12px;color:#59636e}
.upload progress{flex:1;height:6px;accent-color:var(--c)}
.foot>.box{border:0;border-radius:0}
.stars{border:0;margin:0;padding:0;display:flex;gap:2px}
.stars legend{padding:0;margin-bottom:4px;font-weight:600}
.stars label{position:relative;font-size:26px;line-height:1;color:#c4cad1;cursor:pointer;padding:0 2px;border-radius:4px}
.stars label.on{color:#d4a72c}
.stars input:focus-visible+span{outline:3px solid var(--c);outline-offset:1px;border-radius:4px}
.invite{position:absolute;bottom:72px;right:0;width:280px;background:#fff;border-radius:12px;box-shadow:0 8px 30px rgba(0,0,0,.22);padding:12px;display:flex;flex-direction:column;gap:8px}
.ah[data-pos=left] .invite{right:auto;left:0}
.invite p{margin:0;white-space:pre-wrap;overflow-wrap:anywhere}
.invite .who{margin:0}
.invite div{display:flex;gap:8px}
@media (prefers-reduced-motion:no-preference){.panel,.invite{animation:ah-in .16s ease-out}@keyframes ah-in{from{opacity:0;transform:translateY(8px)}}}
`
