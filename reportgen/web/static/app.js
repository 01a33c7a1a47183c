// Copy buttons and drag-and-drop upload; no inline scripts (the CSP forbids them).
document.addEventListener("click", (event) => {
  const button = event.target.closest("button.copy");
  if (!button) return;
  const box = document.getElementById(button.dataset.copy);
  box.select();
  const done = () => { button.textContent = "已复制"; };
  if (navigator.clipboard) navigator.clipboard.writeText(box.value).then(done, () => document.execCommand("copy") && done());
  else if (document.execCommand("copy")) done();
});

document.addEventListener("DOMContentLoaded", () => {
  for (const zone of document.querySelectorAll("[data-dropzone]")) {
    const input = zone.querySelector("input[type=file]");
    zone.addEventListener("dragover", (event) => { event.preventDefault(); zone.classList.add("over"); });
    zone.addEventListener("dragleave", () => zone.classList.remove("over"));
    zone.addEventListener("drop", (event) => {
      event.preventDefault();
      zone.classList.remove("over");
      input.files = event.dataTransfer.files;
      zone.querySelector(".drop-hint").textContent = `已选择 ${input.files.length} 个文件，点“上传并检查”提交。`;
    });
  }
});
